using HcmCity.Silo.Cli;

return await CliApp.RunAsync(args);
