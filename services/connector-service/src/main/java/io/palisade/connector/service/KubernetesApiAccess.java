package io.palisade.connector.service;

import java.net.URI;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.palisade.common.problem.ProblemException;

/**
 * How connector-service reaches a cluster's Kubernetes API: a server URL with a bearer token (and optionally the
 * server's CA, base64 PEM), or a whole kubeconfig. The secrets never appear in {@link #toString()}.
 */
public record KubernetesApiAccess(String serverUrl, String certificateAuthorityData, String bearerToken,
        String kubeconfig) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String FIELD = "kubernetesApi";

    /** Checks the access is complete and returns the API server URL it points at; 400 naming the field otherwise. */
    public String validatedServer() {
        boolean hasKubeconfig = kubeconfig != null && !kubeconfig.isBlank();
        boolean hasServer = serverUrl != null && !serverUrl.isBlank();
        if (hasKubeconfig == hasServer) {
            throw ProblemException.badRequest(FIELD, "give either a kubeconfig, or a serverUrl with a bearerToken");
        }
        if (hasKubeconfig) {
            return serverOf(kubeconfig);
        }
        if (bearerToken == null || bearerToken.isBlank()) {
            throw ProblemException.badRequest(FIELD + ".bearerToken", "is required with serverUrl");
        }
        if (certificateAuthorityData != null && !certificateAuthorityData.isBlank()) {
            byte[] pem;
            try {
                pem = Base64.getDecoder().decode(certificateAuthorityData.trim());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(FIELD + ".certificateAuthorityData", "must be base64 (of the PEM)");
            }
            try {
                java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificates(new java.io.ByteArrayInputStream(pem));
            } catch (java.security.cert.CertificateException e) {
                throw ProblemException.badRequest(FIELD + ".certificateAuthorityData",
                        "is not a PEM certificate (base64 of the API server's CA certificate)");
            }
        }
        return checkedUrl(serverUrl.trim(), FIELD + ".serverUrl");
    }

    private static String serverOf(String kubeconfig) {
        JsonNode config;
        try {
            config = YAML.readTree(kubeconfig);
        } catch (Exception e) {
            throw ProblemException.badRequest(FIELD + ".kubeconfig", "is not valid YAML");
        }
        if (config == null || !config.path("clusters").isArray() || config.path("clusters").isEmpty()) {
            throw ProblemException.badRequest(FIELD + ".kubeconfig", "has no clusters");
        }
        String wanted = null;
        String current = config.path("current-context").asText("");
        for (JsonNode context : config.path("contexts")) {
            if (context.path("name").asText().equals(current)) {
                wanted = context.path("context").path("cluster").asText(null);
            }
        }
        for (JsonNode cluster : config.path("clusters")) {
            if (wanted == null || cluster.path("name").asText().equals(wanted)) {
                String server = cluster.path("cluster").path("server").asText("");
                if (!server.isBlank()) {
                    return checkedUrl(server, FIELD + ".kubeconfig");
                }
            }
        }
        throw ProblemException.badRequest(FIELD + ".kubeconfig", "names no cluster server for its current context");
    }

    private static String checkedUrl(String url, String field) {
        try {
            URI uri = URI.create(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "the API server must be an https:// (or http://) URL");
        }
    }

    @Override
    public String toString() {
        return "KubernetesApiAccess[serverUrl=" + serverUrl + ", credentials=<redacted>]";
    }
}
