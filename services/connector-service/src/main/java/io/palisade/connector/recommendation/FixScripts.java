package io.palisade.connector.recommendation;

import java.time.Instant;
import java.util.stream.Collectors;

import io.palisade.common.problem.ProblemException;
import io.palisade.connector.kubernetes.ClusterKit;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.persistence.ClusterKind;

/**
 * Remediation scripts that do what the product would do: install the sensor from the cluster kit, or write the
 * audit policy and webhook configuration for the API server. The ingest token is never in a script (Palisade keeps
 * it only hashed): the script reads it from {@code PALISADE_INGEST_TOKEN}.
 */
public final class FixScripts {
    public static final String BASH = "bash";
    public static final String POWERSHELL = "powershell";
    private static final String TOKEN_PATTERN = "^pit_[A-Za-z0-9_-]+$";

    private FixScripts() {
    }

    public static String script(Recommendation recommendation, Cluster cluster, String gatewayUrl, String format) {
        if (!recommendation.fixFormats().contains(format)) {
            throw ProblemException.badRequest("format", recommendation.fixFormats().isEmpty()
                    ? "recommendation " + recommendation.id() + " has no Fix script"
                    : "must be one of " + recommendation.fixFormats());
        }
        boolean bash = BASH.equals(format);
        return switch (recommendation.id()) {
            case RecommendationService.SENSOR -> bash ? sensorBash(recommendation, cluster, gatewayUrl)
                    : sensorPowerShell(recommendation, cluster, gatewayUrl);
            case RecommendationService.AUDIT_LOGS -> bash ? auditBash(recommendation, cluster, gatewayUrl)
                    : auditPowerShell(recommendation, cluster, gatewayUrl);
            default -> throw ProblemException.badRequest("format", "recommendation " + recommendation.id()
                    + " has no Fix script");
        };
    }

    public static String fileName(Recommendation recommendation, Cluster cluster, String format) {
        return "palisade-fix-" + recommendation.id() + "-" + cluster.name + (BASH.equals(format) ? ".sh" : ".ps1");
    }

    private static String header(String comment, Recommendation r, Cluster c, String what) {
        return comment + " Palisade Fix: " + r.displayName() + "\n"
                + comment + " Cluster " + c.name + " (" + c.id + "), connector " + c.connectorId + "; generated "
                + Instant.now() + "\n"
                + comment + " " + what + "\n";
    }

    private static String sensorManifests(String gatewayUrl) {
        return ClusterKit.SENSOR.stream().map(f -> "---\n" + ClusterKit.withGateway(f, gatewayUrl))
                .collect(Collectors.joining());
    }

    static String sensorBash(Recommendation r, Cluster c, String gatewayUrl) {
        return "#!/usr/bin/env bash\n"
                + header("#", r, c, "Installs or upgrades the Palisade sensor (k8s/cluster-kit/sensor) by server-side apply.")
                + "# Run with kubectl pointing at the cluster:  PALISADE_INGEST_TOKEN=pit_... bash " 
                + fileName(r, c, BASH) + "\n"
                + "set -euo pipefail\n"
                + tokenCheckBash()
                + "command -v kubectl >/dev/null || { echo 'kubectl is required' >&2; exit 1; }\n"
                + readHeredoc("manifests", "PALISADE_MANIFESTS", sensorManifests(gatewayUrl))
                + "printf '%s\\n' \"${manifests//" + ClusterKit.TOKEN_PLACEHOLDER + "/$PALISADE_INGEST_TOKEN}\" \\\n"
                + "  | kubectl apply --server-side --field-manager=palisade --force-conflicts -f -\n"
                + "kubectl -n palisade rollout status daemonset/palisade-sensor --timeout=\"${PALISADE_ROLLOUT_TIMEOUT:-300s}\"\n"
                + "echo 'The Palisade sensor is installed.'\n";
    }

    static String sensorPowerShell(Recommendation r, Cluster c, String gatewayUrl) {
        return header("#", r, c, "Installs or upgrades the Palisade sensor (k8s/cluster-kit/sensor) by server-side apply.")
                + "# Run with kubectl pointing at the cluster:  $env:PALISADE_INGEST_TOKEN = 'pit_...'; ./"
                + fileName(r, c, POWERSHELL) + "\n"
                + "$ErrorActionPreference = 'Stop'\n"
                + tokenCheckPowerShell()
                + "if (-not (Get-Command kubectl -ErrorAction SilentlyContinue)) { throw 'kubectl is required' }\n"
                + "$manifests = @'\n" + sensorManifests(gatewayUrl) + "'@\n"
                + "$manifests.Replace('" + ClusterKit.TOKEN_PLACEHOLDER + "', $env:PALISADE_INGEST_TOKEN) |\n"
                + "  kubectl apply --server-side --field-manager=palisade --force-conflicts -f -\n"
                + "if ($LASTEXITCODE -ne 0) { throw 'kubectl apply failed' }\n"
                + "kubectl -n palisade rollout status daemonset/palisade-sensor --timeout=300s\n"
                + "if ($LASTEXITCODE -ne 0) { throw 'the sensor did not become ready' }\n"
                + "Write-Host 'The Palisade sensor is installed.'\n";
    }

    static String auditBash(Recommendation r, Cluster c, String gatewayUrl) {
        if (c.kind != ClusterKind.OnPrem) {
            return "#!/usr/bin/env bash\n" + header("#", r, c, "Managed control plane: prints the steps to take.")
                    + "cat <<'PALISADE_STEPS'\n" + managedSteps(c, gatewayUrl) + "PALISADE_STEPS\n";
        }
        return "#!/usr/bin/env bash\n"
                + header("#", r, c, "Writes the audit policy and the audit webhook configuration for kube-apiserver.")
                + "# Run as root on every control-plane node:  PALISADE_INGEST_TOKEN=pit_... bash "
                + fileName(r, c, BASH) + "\n"
                + "set -euo pipefail\n"
                + tokenCheckBash()
                + "dir=\"${PALISADE_AUDIT_DIR:-/etc/kubernetes/palisade}\"\n"
                + "install -d -m 700 \"$dir\"\n"
                + "cat >\"$dir/audit-policy.yaml\" <<'PALISADE_POLICY'\n" + ClusterKit.raw(ClusterKit.AUDIT_POLICY)
                + "PALISADE_POLICY\n"
                + readHeredoc("webhook", "PALISADE_WEBHOOK", ClusterKit.withGateway(ClusterKit.AUDIT_WEBHOOK, gatewayUrl))
                + "(umask 077; printf '%s\\n' \"${webhook//" + ClusterKit.TOKEN_PLACEHOLDER
                + "/$PALISADE_INGEST_TOKEN}\" >\"$dir/audit-webhook-kubeconfig.yaml\")\n"
                + "cat <<PALISADE_NEXT\n" + apiServerFlags("$dir") + "PALISADE_NEXT\n";
    }

    static String auditPowerShell(Recommendation r, Cluster c, String gatewayUrl) {
        if (c.kind != ClusterKind.OnPrem) {
            return header("#", r, c, "Managed control plane: prints the steps to take.")
                    + "Write-Host @'\n" + managedSteps(c, gatewayUrl) + "'@\n";
        }
        return header("#", r, c, "Writes the audit policy and the audit webhook configuration for kube-apiserver.")
                + "# Run as root (pwsh) on every control-plane node:  $env:PALISADE_INGEST_TOKEN = 'pit_...'; ./"
                + fileName(r, c, POWERSHELL) + "\n"
                + "$ErrorActionPreference = 'Stop'\n"
                + tokenCheckPowerShell()
                + "$dir = if ($env:PALISADE_AUDIT_DIR) { $env:PALISADE_AUDIT_DIR } else { '/etc/kubernetes/palisade' }\n"
                + "New-Item -ItemType Directory -Force -Path $dir | Out-Null\n"
                + "Set-Content -Path (Join-Path $dir 'audit-policy.yaml') -Value @'\n"
                + ClusterKit.raw(ClusterKit.AUDIT_POLICY) + "'@\n"
                + "$webhook = @'\n" + ClusterKit.withGateway(ClusterKit.AUDIT_WEBHOOK, gatewayUrl) + "'@\n"
                + "Set-Content -Path (Join-Path $dir 'audit-webhook-kubeconfig.yaml') -Value $webhook.Replace('"
                + ClusterKit.TOKEN_PLACEHOLDER + "', $env:PALISADE_INGEST_TOKEN)\n"
                + "Write-Host @\"\n" + apiServerFlags("$dir") + "\"@\n";
    }

    /**
     * {@code read} from a quoted heredoc rather than {@code $(cat <<...)}: bash mis-parses a heredoc inside a command
     * substitution when its text has an odd number of apostrophes.
     */
    private static String readHeredoc(String variable, String delimiter, String text) {
        return "IFS= read -r -d '' " + variable + " <<'" + delimiter + "' || true\n" + text + delimiter + "\n";
    }

    private static String tokenCheckBash() {
        // no apostrophes in the message: inside "${...:?...}" bash would take one for an opening quote
        return ": \"${PALISADE_INGEST_TOKEN:?set PALISADE_INGEST_TOKEN to the ingest token of the cluster (shown once "
                + "at registration; rotate it in Palisade to get a new one)}\"\n"
                + "[[ \"$PALISADE_INGEST_TOKEN\" =~ " + TOKEN_PATTERN + " ]] || { echo 'PALISADE_INGEST_TOKEN is not a "
                + "Palisade ingest token (pit_...)' >&2; exit 1; }\n";
    }

    private static String tokenCheckPowerShell() {
        return "if (-not $env:PALISADE_INGEST_TOKEN) { throw \"Set PALISADE_INGEST_TOKEN to the cluster's ingest token "
                + "(shown once at registration; rotate it in Palisade to get a new one)\" }\n"
                + "if ($env:PALISADE_INGEST_TOKEN -notmatch '" + TOKEN_PATTERN + "') { throw 'PALISADE_INGEST_TOKEN is "
                + "not a Palisade ingest token (pit_...)' }\n";
    }

    private static String apiServerFlags(String dir) {
        return "Written " + dir + "/audit-policy.yaml and " + dir + "/audit-webhook-kubeconfig.yaml.\n"
                + "Now add to kube-apiserver (kubeadm: /etc/kubernetes/manifests/kube-apiserver.yaml) and mount " + dir
                + " into its pod (hostPath, read-only):\n"
                + "  --audit-policy-file=" + dir + "/audit-policy.yaml\n"
                + "  --audit-webhook-config-file=" + dir + "/audit-webhook-kubeconfig.yaml\n"
                + "  --audit-webhook-version=audit.k8s.io/v1\n"
                + "  --audit-webhook-mode=batch\n";
    }

    private static String managedSteps(Cluster c, String gatewayUrl) {
        String gateway = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        return switch (c.kind) {
            case EKS -> "Amazon EKS cluster " + c.name + ":\n"
                    + "1. Turn on the 'audit' control-plane log type:\n"
                    + "   aws eks update-cluster-config --name " + c.name
                    + " --logging '{\"clusterLogging\":[{\"types\":[\"audit\"],\"enabled\":true}]}'\n"
                    + "2. Create an Amazon Data Firehose stream with an HTTP endpoint destination " + gateway
                    + "/ingest/eks and the cluster's ingest token as its access key.\n"
                    + "3. Subscribe the log group /aws/eks/" + c.name + "/cluster to that stream.\n";
            case AKS -> "Azure AKS cluster " + c.name + ":\n"
                    + "1. Add a diagnostic setting for the categories kube-audit and kube-audit-admin, sent to an Event Hub.\n"
                    + "2. Have the Event Hub's records delivered to " + gateway
                    + "/ingest/aks with the cluster's ingest token (Authorization: Bearer).\n";
            case GKE -> "Google GKE cluster " + c.name + ":\n"
                    + "1. Admin Activity audit logs are on by default; turn on Data Access logs for the Kubernetes API.\n"
                    + "2. Route them with a Cloud Logging sink to a Pub/Sub topic whose push subscription delivers to "
                    + gateway + "/ingest/k8s-audit with the cluster's ingest token.\n";
            case OnPrem -> "";
        };
    }
}
