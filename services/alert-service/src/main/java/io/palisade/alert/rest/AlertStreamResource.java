package io.palisade.alert.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.palisade.alert.config.AlertStreamConfig;
import io.palisade.common.security.CallerScopes;
import io.palisade.alert.service.AlertChanged;
import io.palisade.alert.service.AlertStream;
import io.palisade.common.security.Roles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;

/**
 * {@code GET /api/alerts/stream}: Server-Sent Events of new and changed alerts the caller may see. Each change is
 * {@code event: alert}, {@code id: <alert id>}, {@code data: {"changeKind": "Created|Updated|StatusChanged",
 * "alert": <the alert as the alerts API shows it>}}; a comment line opens the stream and another one is sent every
 * heartbeat interval. A client that reads too slowly, or whose stream may have missed changes (the replica's
 * listening database connection was interrupted), gets a closing comment and the end of the stream. Changes made on any
 * replica reach every replica's streams ({@link AlertStream}).
 */
@Path("/api/alerts/stream")
public class AlertStreamResource {
    static final String EVENT_NAME = "alert";
    static final long RECONNECT_DELAY_MILLIS = 5000;

    private final AlertStream stream;
    private final CallerScopes scopes;
    private final AlertStreamConfig config;

    public AlertStreamResource(AlertStream stream, CallerScopes scopes, AlertStreamConfig config) {
        this.stream = stream;
        this.scopes = scopes;
        this.config = config;
    }

    /** The data of one event. */
    public record AlertStreamEvent(AlertChanged.Kind changeKind, AlertView alert) {
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ Roles.SECURITY_ADMIN, Roles.SECURITY_READER })
    @Operation(summary = "Live stream of new and changed alerts (Server-Sent Events)")
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        AlertStream.Audience audience = AlertStream.Audience.of(scopes);
        Multi<OutboundSseEvent> changes = stream.changes(audience).map(change -> sse.newEventBuilder()
                .name(EVENT_NAME)
                .id(change.alert().id)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(AlertStreamEvent.class, new AlertStreamEvent(change.kind(), AlertView.of(change.alert(), null)))
                .build());
        // subscribed after the changes (merge subscribes in order), so a client that sees it misses no change
        Multi<OutboundSseEvent> opened = Multi.createFrom().item(() -> sse.newEventBuilder()
                .comment("connected").reconnectDelay(RECONNECT_DELAY_MILLIS).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(config.heartbeat())
                .onOverflow().drop()
                .select().first(tick -> stream.open())
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().withRequests(1).streams(changes, opened, heartbeats)
                .onFailure(BackPressureFailure.class).recoverWithItem(() -> sse.newEventBuilder()
                        .comment("closed: more than " + config.bufferSize()
                                + " changes were waiting for this client; reconnect and reload the alert list")
                        .build())
                .onFailure(AlertStream.Interrupted.class).recoverWithItem(() -> sse.newEventBuilder()
                        .comment("closed: the live feed may have missed changes (its database connection was"
                                + " interrupted); reconnect and reload the alert list")
                        .build());
    }
}
