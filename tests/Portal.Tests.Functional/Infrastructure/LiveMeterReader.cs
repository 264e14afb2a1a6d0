using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Live;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// Totals of one host's <c>Portal.Live</c> instruments, read the way any metrics consumer reads them (a
/// <see cref="MeterListener"/>), counted from when the reader was created. Only the host's own meter is read: two
/// hosts in one test process each have their own meter factory.
/// </summary>
public sealed class LiveMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Kind), long> _totals = new();

    public LiveMeterReader(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LiveMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? kind = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                {
                    kind = tag.Value as string;
                }
            }
            _totals.AddOrUpdate((instrument.Name, null), value, (_, total) => total + value);
            if (kind is not null)
            {
                _totals.AddOrUpdate((instrument.Name, kind), value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    /// <summary>The sum of what the instrument recorded since the reader started (all kinds when none is given).</summary>
    public long Total(string instrument, string? kind = null) => _totals.GetValueOrDefault((instrument, kind));

    public void Dispose() => _listener.Dispose();
}
