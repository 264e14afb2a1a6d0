namespace Portal.Web.Bootstrap;

/// <summary>Whether first-start set-up has finished; readiness waits for it.</summary>
public sealed class BootstrapState
{
    private volatile bool _completed;
    private volatile string? _lastError;

    public bool Completed => _completed;
    public string? LastError => _lastError;

    public void MarkCompleted() => _completed = true;
    public void MarkFailed(string error) => _lastError = error;
}
