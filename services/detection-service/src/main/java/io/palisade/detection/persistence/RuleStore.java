package io.palisade.detection.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * What admins changed of the rule catalogue, in PostgreSQL: custom rules, on/off settings of shipped rules and the
 * threat-intelligence IP lists, with a version number every change moves (replicas reload when it moves).
 */
@ApplicationScoped
public class RuleStore {
    private final EntityManager em;

    public RuleStore(EntityManager em) {
        this.em = em;
    }

    /** A custom rule as stored: its JSON definition and whether it is on. */
    public record StoredRule(String id, String definition, boolean enabled, String updatedBy, Instant updatedAt) {
    }

    public long version() {
        return ((Number) em.createNativeQuery("SELECT version FROM rule_catalogue_version WHERE id = 1")
                .getSingleResult()).longValue();
    }

    public void bumpVersion() {
        em.createNativeQuery("UPDATE rule_catalogue_version SET version = version + 1 WHERE id = 1").executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public List<StoredRule> customRules() {
        List<StoredRule> rules = new ArrayList<>();
        for (Object[] row : (List<Object[]>) em.createNativeQuery("""
                SELECT id, CAST(definition AS text), enabled, updated_by, updated_at FROM custom_rule ORDER BY id""")
                .getResultList()) {
            rules.add(new StoredRule((String) row[0], (String) row[1], (Boolean) row[2], (String) row[3],
                    Baselines.instant(row[4])));
        }
        return rules;
    }

    public boolean customRuleExists(String id) {
        return !em.createNativeQuery("SELECT 1 FROM custom_rule WHERE id = ?1").setParameter(1, id).getResultList()
                .isEmpty();
    }

    public void insertCustomRule(String id, String definition, String user) {
        em.createNativeQuery("""
                INSERT INTO custom_rule (id, definition, enabled, created_by, created_at, updated_by, updated_at)
                VALUES (?1, CAST(?2 AS jsonb), TRUE, ?3, ?4, ?3, ?4)""")
                .setParameter(1, id).setParameter(2, definition).setParameter(3, user)
                .setParameter(4, Timestamp.from(Instant.now())).executeUpdate();
    }

    public boolean updateCustomRule(String id, String definition, String user) {
        return em.createNativeQuery("""
                UPDATE custom_rule SET definition = CAST(?2 AS jsonb), updated_by = ?3, updated_at = ?4 WHERE id = ?1""")
                .setParameter(1, id).setParameter(2, definition).setParameter(3, user)
                .setParameter(4, Timestamp.from(Instant.now())).executeUpdate() == 1;
    }

    public boolean deleteCustomRule(String id) {
        return em.createNativeQuery("DELETE FROM custom_rule WHERE id = ?1").setParameter(1, id).executeUpdate() == 1;
    }

    public boolean setCustomRuleEnabled(String id, boolean enabled, String user) {
        return em.createNativeQuery("""
                UPDATE custom_rule SET enabled = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1""")
                .setParameter(1, id).setParameter(2, enabled).setParameter(3, user)
                .setParameter(4, Timestamp.from(Instant.now())).executeUpdate() == 1;
    }

    public void setShippedRuleEnabled(String id, boolean enabled, String user) {
        em.createNativeQuery("""
                INSERT INTO rule_setting (rule_id, enabled, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (rule_id) DO UPDATE SET enabled = EXCLUDED.enabled, changed_by = EXCLUDED.changed_by,
                    changed_at = EXCLUDED.changed_at""")
                .setParameter(1, id).setParameter(2, enabled).setParameter(3, user)
                .setParameter(4, Timestamp.from(Instant.now())).executeUpdate();
    }

    /** Shipped rules switched on or off by an admin: rule id → enabled. */
    @SuppressWarnings("unchecked")
    public Map<String, Boolean> shippedRuleSettings() {
        Map<String, Boolean> settings = new HashMap<>();
        for (Object[] row : (List<Object[]>) em.createNativeQuery("SELECT rule_id, enabled FROM rule_setting")
                .getResultList()) {
            settings.put((String) row[0], (Boolean) row[1]);
        }
        return settings;
    }

    /** Every stored IP list: name → entries. */
    @SuppressWarnings("unchecked")
    public Map<String, List<String>> ipLists() {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (Object name : em.createNativeQuery("SELECT list_name FROM ip_list ORDER BY list_name").getResultList()) {
            lists.put((String) name, new ArrayList<>());
        }
        for (Object[] row : (List<Object[]>) em.createNativeQuery(
                "SELECT list_name, entry FROM ip_list_entry ORDER BY list_name, entry").getResultList()) {
            lists.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        return lists;
    }

    public void replaceIpList(String name, List<String> entries, String user) {
        em.createNativeQuery("DELETE FROM ip_list_entry WHERE list_name = ?1").setParameter(1, name).executeUpdate();
        for (String entry : entries) {
            em.createNativeQuery("INSERT INTO ip_list_entry (list_name, entry) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                    .setParameter(1, name).setParameter(2, entry).executeUpdate();
        }
        em.createNativeQuery("""
                INSERT INTO ip_list (list_name, updated_by, updated_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (list_name) DO UPDATE SET updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at""")
                .setParameter(1, name).setParameter(2, user).setParameter(3, Timestamp.from(Instant.now()))
                .executeUpdate();
    }
}
