package io.offboard.local.stack;

import java.nio.file.Path;

/**
 * How to start the {@link EmbeddedStack}.
 *
 * @param dataDir    where DynamoDB Local keeps its SQLite file; {@code null} keeps DynamoDB in memory. S3 is
 *                   always in memory (see {@link EmbeddedStack}).
 * @param dynamoPort loopback port of DynamoDB Local; 0 picks a free one
 * @param s3Port     loopback port of the S3-compatible server; 0 picks a free one
 */
public record StackOptions(Path dataDir, int dynamoPort, int s3Port) {

    public StackOptions {
        checkPort("dynamoPort", dynamoPort);
        checkPort("s3Port", s3Port);
    }

    /** Everything in memory, free ports: what tests and {@code demo} use. */
    public static StackOptions inMemory() {
        return new StackOptions(null, 0, 0);
    }

    /** DynamoDB persisted under {@code dataDir}, free ports. */
    public static StackOptions persistent(Path dataDir) {
        return new StackOptions(dataDir, 0, 0);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (pick a free port) or 1..65535, got " + port);
        }
    }
}
