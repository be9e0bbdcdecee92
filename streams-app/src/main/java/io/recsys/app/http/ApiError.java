package io.recsys.app.http;

/**
 * The body of every error answer.
 *
 * @param status the HTTP status, repeated for clients that only see the body
 * @param error what went wrong, for people
 * @param parameter the request parameter at fault, or null when none is
 */
public record ApiError(int status, String error, String parameter) {}
