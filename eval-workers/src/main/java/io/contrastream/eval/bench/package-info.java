/**
 * Benchmarks of the evaluation workers: {@link io.contrastream.eval.bench.EvalBenchmark}.
 */
package io.contrastream.eval.bench;
