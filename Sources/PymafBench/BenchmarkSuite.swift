/// One stage's benchmark: a program that prints its figures next to the targets in
/// `../shared/docs/performance.md`. Never a timed test.
struct BenchmarkSuite {
    /// Name given on the command line (`pymaf-bench decode`).
    var name: String
    /// One line saying what it measures.
    var summary: String
    /// Runs the measurements and prints the figures.
    var run: () throws -> Void
}
