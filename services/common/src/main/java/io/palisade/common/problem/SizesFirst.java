package io.palisade.common.problem;

/**
 * Validation group of the size bounds of a request body's lists, checked before anything else of the body: a list
 * with element constraints that is too long is refused by its size alone. Hibernate Validator keeps its violations in
 * a hash set whose element violations of one list all collide, so 100,000 bad elements took minutes (found by the
 * fuzz test: a connector with 100,000 {@code null} regions outlived the gateway's timeout).
 *
 * <pre>{@code
 * @GroupSequence({ SizesFirst.class, CreateConnector.class })
 * public record CreateConnector(@Size(max = 50, groups = SizesFirst.class) List<@NotBlank String> regions) { }
 * }</pre>
 *
 * When a bound is broken, only the bounds are reported; the body's other constraints are checked once they hold.
 */
public interface SizesFirst {
}
