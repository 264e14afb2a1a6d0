using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Portal.Payments;
using Portal.Silo.Configuration;
using Portal.Silo.Payments;
using Portal.Silo.Storage;

namespace Portal.Silo.Hosting;

public static partial class PortalHosting
{
    /// <summary>
    /// The one place a portal silo is composed: cluster identity, endpoints, ADO.NET clustering, the <c>portal</c>
    /// grain storage (JSON state) and ADO.NET reminders, all on the portal database; plus migrations at the first
    /// lifecycle stage when <c>Portal:Database:MigrateOnStart</c> (default: on for SQLite) says so; and outbound mail
    /// (<see cref="AddPortalMail"/>); and, with a Stripe secret key, the client that expires Checkout Sessions.
    /// </summary>
    public static ISiloBuilder AddPortalSilo(this ISiloBuilder silo, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var database = PortalDatabase.FromOptions(options);
        var embedded = string.Equals(options.Orleans.Mode.Trim(), OrleansModes.Embedded, StringComparison.OrdinalIgnoreCase);

        silo.Services.AddPortalDatabase(options);
        silo.Services.TryAddSingleton<SiloReadiness>();
        silo.Services.TryAddSingleton<IClusterReadiness>(sp => sp.GetRequiredService<SiloReadiness>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloReadiness>());
        if (PortalDatabase.ShouldMigrateOnStart(options))
        {
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MigrateDatabaseOnSiloStart>();
        }

        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.Orleans.ClusterId;
            cluster.ServiceId = options.Orleans.ServiceId;
        });

        var advertised = SiloAddressing.ResolveAdvertisedAddress(options.Orleans.AdvertisedAddress, embedded);
        // Embedded silos listen on the advertised loopback address only; a silo process listens on every
        // interface because behind NAT/containers the advertised address is not necessarily a local one.
        silo.ConfigureEndpoints(advertised, options.Orleans.SiloPort, options.Orleans.GatewayPort, listenOnAnyHostAddress: !embedded);

        var noticeRetry = options.Orleans.NoticeRetryPeriod;
        silo.Services.Configure<Portal.Grains.NoticeRetryOptions>(retry => retry.ReminderPeriod = noticeRetry);
        // Orleans refuses reminder periods under its minimum (one minute); a shorter configured period lowers it.
        silo.Configure<ReminderOptions>(reminders =>
        {
            if (reminders.MinimumReminderPeriod > noticeRetry)
            {
                reminders.MinimumReminderPeriod = noticeRetry;
            }
        });

        if (options.Orleans.ProbeTimeout is not null || options.Orleans.MissedProbesLimit is not null)
        {
            silo.Configure<ClusterMembershipOptions>(membership =>
            {
                if (options.Orleans.ProbeTimeout is { } probeTimeout)
                {
                    membership.ProbeTimeout = probeTimeout;
                }

                if (options.Orleans.MissedProbesLimit is { } missedProbes)
                {
                    membership.NumMissedProbesLimit = missedProbes;
                }
            });
        }

        silo.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = database.Invariant;
            if (database.SqliteDataSource is { } clusteringSource)
            {
                clustering.DataSource = clusteringSource;
            }
            else
            {
                clustering.ConnectionString = database.ConnectionString;
            }
        });

        silo.AddAdoNetGrainStorage(StorageNames.Portal, storage =>
        {
            storage.Invariant = database.Invariant;
            if (database.SqliteDataSource is { } storageSource)
            {
                storage.DataSource = storageSource;
            }
            else
            {
                storage.ConnectionString = database.ConnectionString;
            }
            storage.GrainStorageSerializer = new PortalGrainStateSerializer();
            // Cleared state leaves no row behind (our schemas provide DeleteStorageKey), so a grain that clears its
            // state, e.g. a revoked link, does not keep an empty record forever.
            storage.DeleteStateOnClear = true;
        });

        silo.UseAdoNetReminderService(reminders =>
        {
            reminders.Invariant = database.Invariant;
            if (database.SqliteDataSource is { } remindersSource)
            {
                reminders.DataSource = remindersSource;
            }
            else
            {
                reminders.ConnectionString = database.ConnectionString;
            }
        });

        silo.AddPortalMail(options);
        if (options.Stripe.CardPaymentsConfigured)
        {
            // Invoice grains expire withdrawn checkouts through it; without a key there are no checkouts to expire.
            silo.Services.TryAddSingleton<ICheckoutSessions, StripeCheckoutSessions>();
        }

        return silo;
    }
}
