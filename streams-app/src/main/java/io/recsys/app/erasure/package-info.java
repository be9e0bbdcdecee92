/**
 * Forgetting a user, outside the topology: requests on {@code user-deletions} ({@link
 * DeletionRequests}), the confirmations on {@code user-deletions-applied} and waiting for them
 * ({@link DeletionReports}), and the deletion log that retraining reads first ({@link
 * DeletedUsers}). The topology's own steps are in {@code pipeline.state} and {@code
 * pipeline.serving}. Imports only {@code kafka} and {@code config}; imported by the HTTP server,
 * the trainer, retraining and the command line.
 */
package io.recsys.app.erasure;
