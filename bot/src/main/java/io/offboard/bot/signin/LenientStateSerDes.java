package io.offboard.bot.signin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.oauth2.endpoint.authorization.state.DefaultState;
import io.micronaut.security.oauth2.endpoint.authorization.state.JacksonStateSerDes;
import io.micronaut.security.oauth2.endpoint.authorization.state.State;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micronaut's state (de)serialiser, except when reading: a {@code state} that is not Base64 JSON (a forged or
 * mangled callback) reads as no state, so the callback is refused as a failed sign-in, with one log line, instead
 * of a 500 or an error with a stack trace. Both Base64 alphabets are read, since the serialiser writes the
 * standard one and the library reads the URL-safe one.
 */
@Singleton
@Replaces(JacksonStateSerDes.class)
public class LenientStateSerDes extends JacksonStateSerDes {

    private static final Logger LOG = LoggerFactory.getLogger(LenientStateSerDes.class);

    private final JsonMapper json;

    public LenientStateSerDes(JsonMapper jsonMapper) {
        super(jsonMapper);
        this.json = jsonMapper;
    }

    @Override
    public State deserialize(String base64State) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64State.replace('-', '+').replace('_', '/'));
            return json.readValue(bytes, Argument.of(DefaultState.class));
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("sign-in: a state that this bot did not issue ({})", e.getClass().getSimpleName());
            return null;
        }
    }
}
