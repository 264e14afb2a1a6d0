using Portal.Web.Hosting;

var app = PortalWebApp.Build(args);
await app.RunAsync();
