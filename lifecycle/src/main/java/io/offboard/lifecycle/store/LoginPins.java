package io.offboard.lifecycle.store;

import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The numeric GitHub id a configured login stood for when the bot first resolved it, kept for good (in the dedupe
 * table, no expiry). An operator named by login in the settings stays that account: if the login is later renamed
 * away and registered by someone else, the newcomer gains nothing.
 */
public class LoginPins {

    private static final String USER_ID = "user_id";

    private final DynamoDbClient dynamo;
    private final String table;

    public LoginPins(DynamoDbClient dynamo, BotTables tables) {
        this.dynamo = dynamo;
        this.table = tables.dedupe();
    }

    /** Pins {@code login} to {@code idNow} unless it was pinned before; returns the id it is pinned to. */
    public long pin(String login, long idNow) {
        Map<String, AttributeValue> key = key(login);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(DedupeStore.KEY, key.get(DedupeStore.KEY), USER_ID,
                            AttributeValue.fromN(Long.toString(idNow))))
                    .conditionExpression("attribute_not_exists(" + DedupeStore.KEY + ")"));
            return idNow;
        } catch (ConditionalCheckFailedException pinnedBefore) {
            return Long.parseLong(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                    .item().get(USER_ID).n());
        }
    }

    private static Map<String, AttributeValue> key(String login) {
        return Map.of(DedupeStore.KEY, AttributeValue.fromS("login-pin:" + login.toLowerCase(Locale.ROOT)));
    }
}
