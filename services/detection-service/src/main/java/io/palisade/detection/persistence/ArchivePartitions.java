package io.palisade.detection.persistence;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The daily partitions of {@code audit_event_archive} (migration V2): one per UTC day, named
 * {@code audit_event_archive_pYYYYMMDD}, plus a DEFAULT partition that takes events of days without one (late or
 * early events, or days before the archive had partitions). Each change runs in its own short transaction.
 *
 * <p>
 * PostgreSQL refuses to create a day's partition while the DEFAULT partition holds rows of that day. Partitions are
 * created days ahead, so normally the default partition never sees the coming days; but an event with a skewed
 * clock can still land there. Rather than rely on that never happening, {@link #create} looks: when the default
 * partition has rows of the day, it builds the day's table, moves those rows into it and attaches it, all in one
 * transaction, so no event is lost or stays behind in the wrong partition.
 *
 * <p>
 * Creating, attaching and dropping partitions lock the archive briefly; the lock is taken first on the archive
 * itself (the order in which inserts take theirs, so there is no deadlock with the archiver) and waits at most
 * {@value #LOCK_TIMEOUT}, after which the attempt fails and the next run tries again.
 *
 * <p>
 * A day's events are counted through the archive with the day's range, never by naming the partition: a partition
 * dropped meanwhile (by another replica, or by hand) then counts as empty instead of failing the transaction, and the
 * check of its existence under the lock finds it gone.
 */
@ApplicationScoped
public class ArchivePartitions {
    public static final String TABLE = "audit_event_archive";
    public static final String DEFAULT_PARTITION = TABLE + "_default";
    static final String LOCK_TIMEOUT = "10s";
    private static final Pattern DAILY = Pattern.compile(Pattern.quote(TABLE + "_p") + "(\\d{8})");

    private final EntityManager em;

    public ArchivePartitions(EntityManager em) {
        this.em = em;
    }

    /** The name of the day's partition. */
    public static String nameOf(LocalDate day) {
        return TABLE + "_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** Days that have a partition, oldest first. */
    @Transactional
    public List<LocalDate> days() {
        List<?> names = em.createNativeQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = to_regclass(?1)""")
                .setParameter(1, TABLE)
                .getResultList();
        return names.stream()
                .map(n -> DAILY.matcher(n.toString()))
                .filter(Matcher::matches)
                .map(m -> LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE))
                .sorted()
                .toList();
    }

    /** Creates the day's partition unless it exists; whether it did. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean create(LocalDate day) {
        if (exists(day)) {
            return false;
        }
        lockArchive();
        if (exists(day)) {
            return false; // another replica created it while we waited for the lock
        }
        String name = nameOf(day);
        String from = bound(day);
        String to = bound(day.plusDays(1));
        String range = " FOR VALUES FROM ('" + from + "') TO ('" + to + "')";
        String ofTheDay = ofTheDay(day);
        boolean inDefault = (Boolean) em.createNativeQuery(
                "SELECT EXISTS (SELECT 1 FROM " + DEFAULT_PARTITION + ofTheDay + ")").getSingleResult();
        if (!inDefault) {
            execute("CREATE TABLE " + name + " PARTITION OF " + TABLE + range);
            return true;
        }
        execute("CREATE TABLE " + name + " (LIKE " + TABLE + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        execute("WITH moved AS (DELETE FROM " + DEFAULT_PARTITION + ofTheDay + " RETURNING *) INSERT INTO " + name
                + " SELECT * FROM moved");
        execute("ALTER TABLE " + TABLE + " ATTACH PARTITION " + name + range);
        return true;
    }

    /** Drops the day's partition with every event in it; how many events it held (-1 if it did not exist). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long drop(LocalDate day) {
        if (!exists(day)) {
            return -1;
        }
        // counted before the lock: the day is over, so at most a late straggler is missed in the count
        long events = ((Number) em.createNativeQuery("SELECT count(*) FROM " + TABLE + ofTheDay(day))
                .getSingleResult()).longValue();
        lockArchive();
        if (!exists(day)) {
            return -1;
        }
        execute("DROP TABLE " + nameOf(day));
        return events;
    }

    /** Drops the day's partition if it holds no event; whether it did. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean dropIfEmpty(LocalDate day) {
        if (!exists(day) || !isEmpty(day)) {
            return false;
        }
        lockArchive();
        if (!exists(day) || !isEmpty(day)) {
            return false;
        }
        execute("DROP TABLE " + nameOf(day));
        return true;
    }

    private boolean exists(LocalDate day) {
        return em.createNativeQuery("SELECT to_regclass(?1)::text").setParameter(1, nameOf(day))
                .getSingleResult() != null;
    }

    private boolean isEmpty(LocalDate day) {
        return !(Boolean) em.createNativeQuery("SELECT EXISTS (SELECT 1 FROM " + TABLE + ofTheDay(day) + ")")
                .getSingleResult();
    }

    /** The day's rows of a table: a range the planner prunes to the day's partition. */
    private static String ofTheDay(LocalDate day) {
        return " WHERE event_time >= '" + bound(day) + "' AND event_time < '" + bound(day.plusDays(1)) + "'";
    }

    private void lockArchive() {
        em.createNativeQuery("SELECT set_config('lock_timeout', ?1, true)").setParameter(1, LOCK_TIMEOUT)
                .getSingleResult();
        execute("LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE");
    }

    private void execute(String sql) {
        em.createNativeQuery(sql).executeUpdate();
    }

    /** A day's first instant as a literal with its offset, independent of the session's time zone. */
    private static String bound(LocalDate day) {
        return day + " 00:00:00+00";
    }
}
