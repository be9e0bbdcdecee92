/**
 * {@code recsys replay}: a time range of events through a private copy of the pipeline with one
 * fixed model version, into a topic of the caller's choosing. A use case over the wiring; imported
 * only by {@code cli}.
 */
package io.recsys.app.replay;
