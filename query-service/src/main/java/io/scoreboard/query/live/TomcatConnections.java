package io.scoreboard.query.live;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.lang.reflect.Field;
import org.apache.catalina.connector.Response;
import org.apache.catalina.connector.ResponseFacade;
import org.apache.coyote.ActionCode;

/**
 * Closes a live stream's connection at once, without writing what Tomcat still holds for it (ADR 0039).
 *
 * <p>The Servlet API can only complete a response, and completing one whose non-blocking writes are still waiting
 * for the socket makes Tomcat write its own buffer ahead of them and lose the rest: a dropped viewer received a
 * change with its middle missing that still ended like a whole event. {@code CLOSE_NOW} is what Tomcat's own
 * output does when a write fails (from whichever thread wrote): the request takes the container's error path, on a
 * container thread, and the connection closes without the data still waiting for it. The connector's response, whose
 * buffer is suspended first, sits behind the facade's protected field; if that ever cannot be reached, the caller
 * completes the response instead.
 */
final class TomcatConnections {

    private static final Field FACADE_RESPONSE = facadeResponse();

    private TomcatConnections() {
    }

    /** True when the connection is being closed without its pending output; false when this is not Tomcat's. */
    static boolean closeNow(ServletResponse response) {
        while (response instanceof ServletResponseWrapper wrapper) {
            response = wrapper.getResponse();
        }
        if (FACADE_RESPONSE == null || !(response instanceof ResponseFacade facade)) {
            return false;
        }
        try {
            Response connectorResponse = (Response) FACADE_RESPONSE.get(facade);
            if (connectorResponse == null) {
                return false; // recycled: the request is over already
            }
            // First the connector's own buffer: it holds the tail of the last message written, and the error path still
            // flushes it (with a blocking write, ahead of what waits for the socket). Suspended, it writes nothing.
            connectorResponse.setSuspended(true);
            connectorResponse.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static Field facadeResponse() {
        try {
            Field field = ResponseFacade.class.getDeclaredField("response");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
