/**
 * The online trainer: its loop ({@code Trainer}), the example feed, micro-batch steps, the version
 * publisher, the checkpointer and the adoption of promoted versions. Imports {@code modelsync},
 * {@code metrics}, {@code kafka}, {@code config} and the model; imported by the wiring and the
 * demo.
 */
package io.recsys.app.training;
