namespace Portal.Silo.Hosting;

/// <summary>Whether this process can reach the Orleans cluster right now (the web's <c>/health/ready</c> uses it).</summary>
public interface IClusterReadiness
{
    bool IsConnected { get; }
}
