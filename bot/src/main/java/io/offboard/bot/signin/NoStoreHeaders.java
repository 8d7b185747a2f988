package io.offboard.bot.signin;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * On every response, refusals included (this filter runs outside the security filter): not stored by browsers or
 * proxies ({@code Cache-Control: no-store}: a download page, a session cookie or a presigned URL must not sit in a
 * cache), no {@code Referer} sent onwards (the export id must not reach GitHub or S3 in one), and the pages cannot
 * be framed, run scripts or be sniffed as something else.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class NoStoreHeaders implements Ordered {

    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @ResponseFilter
    public void headers(MutableHttpResponse<?> response) {
        response.header("Cache-Control", "no-store");
        response.header("Referrer-Policy", "no-referrer");
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Content-Security-Policy", CSP);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
