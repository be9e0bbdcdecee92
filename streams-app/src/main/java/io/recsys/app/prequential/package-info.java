/**
 * Live test-then-train evaluation: each event's item is scored against the lists its user held
 * before it, for the model and popularity alike. Owns its evaluator and the held lists; imports
 * nothing of the application; imported by serving, metrics and the use cases.
 */
package io.recsys.app.prequential;
