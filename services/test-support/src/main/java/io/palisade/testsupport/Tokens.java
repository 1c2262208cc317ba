package io.palisade.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Bearer tokens for the dev users, signed by the test OIDC server's key and shaped like Keycloak's: roles in
 * {@code realm_access.roles}, audience {@code palisade-api}. Use with {@code OidcWiremockTestResource}.
 */
public final class Tokens {
    public static final String ISSUER = "https://server.example.com";
    public static final String AUDIENCE = "palisade-api";

    private Tokens() {
    }

    /** alice: security-admin and security-reader. */
    public static String admin() {
        return forUser("alice", Set.of("security-admin", "security-reader"));
    }

    /** bob: security-reader only. */
    public static String reader() {
        return forUser("bob", Set.of("security-reader"));
    }

    /** carol: authenticated, but no Palisade role. */
    public static String noRole() {
        return forUser("carol", Set.of());
    }

    public static String forUser(String user, Set<String> roles) {
        return forUser(user, roles, null);
    }

    /**
     * A token limited to some connectors: the {@code palisade_scopes} claim lists their ids (or {@code *}); without
     * the claim ({@code scopes} null) a token covers every connector.
     */
    public static String forUser(String user, Set<String> roles, List<String> scopes) {
        var builder = Jwt.preferredUserName(user)
                .subject(user)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .claim("realm_access", Map.of("roles", List.copyOf(roles)));
        if (scopes != null) {
            builder = builder.claim("palisade_scopes", List.copyOf(scopes));
        }
        return builder.expiresIn(600)
                .jws().keyId("1")
                .sign("privateKey.jwk");
    }
}
