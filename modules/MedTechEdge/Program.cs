using MedTechEdge.Hosting;

return await ModuleEntryPoint.RunAsync(args).ConfigureAwait(false);
