package io.palisade.gateway.portal;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/** The pages around the signed-in portal: the front door's redirect and the signed-out page. */
@Path("/")
public class PortalPages {
    private final Template signedOut;

    public PortalPages(@Location("portal/signed-out") Template signedOut) {
        this.signedOut = signedOut;
    }

    @GET
    @PermitAll
    public Response root() {
        return Response.seeOther(URI.create("/portal")).build();
    }

    @GET
    @Path("signed-out")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance signedOut() {
        return signedOut.instance();
    }
}
