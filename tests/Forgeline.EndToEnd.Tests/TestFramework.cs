// The shared PostgreSQL server of these tests stops when the assembly's tests end.
[assembly: TestFramework("Forgeline.Testing.ForgelineTestFramework", "Forgeline.Testing")]
