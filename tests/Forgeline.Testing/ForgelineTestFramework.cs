using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Forgeline.Testing;

/// <summary>
/// xunit's own framework plus one step at the end of a test assembly: the shared <see cref="PostgresServer"/> is
/// stopped and its directory removed while the runner still waits (a process-exit handler may be cut short).
/// A test assembly opts in with <c>[assembly: TestFramework("Forgeline.Testing.ForgelineTestFramework", "Forgeline.Testing")]</c>.
/// </summary>
public sealed class ForgelineTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await PostgresServer.StopSharedAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
