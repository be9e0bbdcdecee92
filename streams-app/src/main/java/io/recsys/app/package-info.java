/**
 * The wiring of one instance: {@code RecsysApp} (the Kafka Streams pipeline, the model follower
 * and, where enabled, the trainer) and {@code RecsysService} (that plus the HTTP server and the
 * metrics publisher).
 *
 * <p>Imports the packages below it; imported only by the entry points ({@code cli}, {@code demo})
 * and the use cases that run a private pipeline ({@code replay}, {@code retrain}). Components
 * receive narrow views ({@code http.ServedInstance}, {@code metrics.MeasuredInstance}), never the
 * app itself. {@code ArchitectureTest} enforces the layering.
 */
package io.recsys.app;
