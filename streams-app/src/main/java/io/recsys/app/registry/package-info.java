/**
 * The model registry: numbered versions with provenance, promotion and rollback history, the
 * compatibility check and the rollout onto {@code model-updates}. Imports {@code modelsync}, {@code
 * kafka} and {@code config}; imported by the command line and retraining.
 */
package io.recsys.app.registry;
