using Forgeline.Cli;

return await ForgelineCommandLine.Create().Parse(args).InvokeAsync();
