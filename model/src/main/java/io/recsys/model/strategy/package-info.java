/**
 * What the learned model is measured against and combined with: the item-to-item co-occurrence
 * weights, the live evidence of which strategy wins for which users, and the rank fusion of several
 * strategies' lists. Plain Java, shared by the offline evaluation and the streaming pipeline so
 * that both compute the same thing.
 */
package io.recsys.model.strategy;
