package io.palisade.alert.persistence;

/** The lifecycle of an alert, as in Defender: any state can move to any other. */
public enum AlertStatus {
    Active("activate"), InProgress("inProgress"), Resolved("resolve"), Dismissed("dismiss");

    /** The path segments of the state-change calls, as in the Azure alerts API. */
    public static final String ACTIONS = "dismiss|resolve|activate|inProgress";

    private final String action;

    AlertStatus(String action) {
        this.action = action;
    }

    /** The status a state-change call ({@code POST /api/alerts/{id}/<action>}) moves an alert to. */
    public static AlertStatus forAction(String action) {
        for (AlertStatus status : values()) {
            if (status.action.equals(action)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown alert action " + action);
    }
}
