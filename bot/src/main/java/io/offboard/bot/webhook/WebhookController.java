package io.offboard.bot.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /github/webhook}: verify the signature on the raw bytes, store the delivery, answer 202, process it
 * from the store. Nothing is stored or sent for a delivery whose signature does not verify; 503 only when the
 * store cannot take a delivery. Public to the HTTP layer (GitHub has no session); the signature is its
 * authentication.
 */
@Controller("/github")
@Secured(SecurityRule.IS_ANONYMOUS)
public class WebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);

    private final SignatureVerifier signatures;
    private final DeliveryDispatcher dispatcher;

    public WebhookController(SignatureVerifier signatures, DeliveryDispatcher dispatcher) {
        this.signatures = signatures;
        this.dispatcher = dispatcher;
    }

    @Post(uri = "/webhook", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, String>> receive(
            @Nullable @Header("X-GitHub-Event") String event,
            @Nullable @Header("X-GitHub-Delivery") String deliveryId,
            @Nullable @Header("X-Hub-Signature-256") String signature,
            @Nullable @Body byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (signature == null) {
            return HttpResponse.<Map<String, String>>status(HttpStatus.UNAUTHORIZED)
                    .body(Map.of("error", "missing X-Hub-Signature-256"));
        }
        if (!signatures.verify(raw, signature)) {
            return HttpResponse.<Map<String, String>>status(HttpStatus.UNAUTHORIZED)
                    .body(Map.of("error", "X-Hub-Signature-256 does not match any configured webhook secret"));
        }
        if (event == null || deliveryId == null) {
            return HttpResponse.badRequest(Map.of("error", "missing X-GitHub-Event or X-GitHub-Delivery"));
        }
        if (!dispatcher.wants(event)) {
            return HttpResponse.accepted().body(Map.of("status", "ignored", "event", event));
        }
        DeliveryDispatcher.Receipt receipt;
        try {
            receipt = dispatcher.accept(new Delivery(deliveryId, event, raw));
        } catch (RuntimeException storeDown) {
            // only when the delivery could not be stored: GitHub retries it, nothing was acknowledged
            LOG.error("delivery {} could not be stored: {}", deliveryId, storeDown.toString());
            return HttpResponse.<Map<String, String>>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "the delivery could not be stored; deliver it again"));
        }
        return HttpResponse.accepted().body(Map.of("status", receipt.name().toLowerCase(), "delivery", deliveryId));
    }
}
