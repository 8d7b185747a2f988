package io.offboard.local.github;

/**
 * A GitHub API error: the HTTP status and the {@code message} GitHub puts in its JSON error body,
 * plus a sentence for a person driving the stand-in directly (the demo, a test).
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String githubMessage;

    ApiException(int status, String githubMessage, String detail) {
        super(detail);
        this.status = status;
        this.githubMessage = githubMessage;
    }

    static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    static ApiException validation(String detail) {
        return new ApiException(422, "Validation Failed", detail);
    }

    int status() {
        return status;
    }

    String githubMessage() {
        return githubMessage;
    }
}
