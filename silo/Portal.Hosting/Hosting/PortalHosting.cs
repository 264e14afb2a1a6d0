using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;

namespace Portal.Silo.Hosting;

/// <summary>How a portal process joins Orleans: the web calls <see cref="AddPortalOrleans"/>, the silo process and
/// embedded mode both compose their silo with <see cref="AddPortalSilo"/>.</summary>
public static partial class PortalHosting
{
    /// <summary>
    /// Binds and validates <see cref="PortalOptions"/>, registers the database services (<c>IFileContentStore</c>,
    /// <c>IDatabaseProbe</c>) and, by <c>Portal:Orleans:Mode</c>, hosts a silo in-process (<c>embedded</c>) or
    /// connects to a cluster as a client (<c>client</c>).
    /// </summary>
    public static IHostApplicationBuilder AddPortalOrleans(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.AddPortalOptions();
        builder.Services.AddPortalDatabase(options);

        switch (options.Orleans.Mode.Trim().ToLowerInvariant())
        {
            case OrleansModes.Embedded:
                Directory.CreateDirectory(options.DataDirectoryFullPath);
                builder.UseOrleans(silo => silo.AddPortalSilo(options));
                break;
            case OrleansModes.Client:
                builder.AddPortalClusterClient(options);
                break;
            default:
                throw new InvalidOperationException(
                    $"Portal:Orleans:Mode '{options.Orleans.Mode}' cannot be used by AddPortalOrleans; use '{OrleansModes.Embedded}' or '{OrleansModes.Client}'.");
        }

        return builder;
    }

    /// <summary>
    /// Binds the <c>Portal</c> section, registers <c>IOptions&lt;PortalOptions&gt;</c> with validation at start, and
    /// returns the bound values validated now, because the composition itself depends on them.
    /// </summary>
    public static PortalOptions AddPortalOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(PortalOptions.Section);
        var options = new PortalOptions();
        section.Bind(options);

        var validator = new PortalOptionsValidator();
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PortalOptions), result.Failures);
        }

        builder.Services.AddOptions<PortalOptions>().Bind(section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>());
        return options;
    }
}
