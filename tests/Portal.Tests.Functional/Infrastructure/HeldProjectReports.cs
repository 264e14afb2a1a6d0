using System.Collections.Concurrent;
using Portal.Grains;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// Holds back (or fails) a project's handling of its documents' reports, for the projects a test names; every
/// other project passes straight through. Registered as the portal's <see cref="IProjectReportHook"/>.
/// </summary>
public sealed class HeldProjectReports : IProjectReportHook
{
    private readonly ConcurrentDictionary<Guid, Hold> _holds = new();

    /// <summary>From now on the project's report handling waits until <see cref="Hold.Release"/>.</summary>
    public Hold HoldBack(Guid projectId) => _holds[projectId] = new Hold(failing: false);

    /// <summary>From now on the project's report handling fails (and is retried) until <see cref="Hold.Release"/>.</summary>
    public Hold Fail(Guid projectId) => _holds[projectId] = new Hold(failing: true);

    public async Task BeforeApplyingAsync(Guid projectId, DocumentChange change)
    {
        if (_holds.TryGetValue(projectId, out var hold))
        {
            await hold.EnterAsync();
        }
    }

    public sealed class Hold(bool failing)
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _failing = failing;
        private int _attempts;

        /// <summary>Completes when a report first reaches the project (and is held or failed there).</summary>
        public Task Reached => _reached.Task;

        /// <summary>How many times a report reached the project while held or failing.</summary>
        public int Attempts => Volatile.Read(ref _attempts);

        public bool IsReleased => _released.Task.IsCompleted;

        /// <summary>Lets the held report through, and every later one.</summary>
        public void Release()
        {
            _failing = false;
            _released.TrySetResult();
        }

        internal async Task EnterAsync()
        {
            if (IsReleased)
            {
                return;
            }
            Interlocked.Increment(ref _attempts);
            _reached.TrySetResult();
            if (_failing)
            {
                throw new InvalidOperationException("The project's report handling fails (held by the test).");
            }
            await _released.Task;
        }
    }
}
