return await Portal.Silo.SiloProgram.RunAsync(args);
