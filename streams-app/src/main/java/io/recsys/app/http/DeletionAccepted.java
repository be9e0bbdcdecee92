package io.recsys.app.http;

/**
 * The answer to {@code DELETE /users/{id}} (202 Accepted): the request is on {@code
 * user-deletions}; each component confirms it on {@code confirmationsTopic} under {@code requestId}
 * ({@code bin/recsys forget} waits for them).
 */
public record DeletionAccepted(
    String requestId, long requestedAt, String deletionsTopic, String confirmationsTopic) {}
