namespace Portal;

/// <summary>
/// Who is acting for staff on this call: the web sets the signed-in person's name (or the API key's) on Orleans'
/// request context for every staff request, and it flows with every grain call the request makes, so an activity
/// entry or an audit entry names the person ("Sam Patel sent Quote Q-1007") without every method taking an actor.
/// </summary>
public static class StaffActing
{
    private const string NameKey = "portal-staff-name";
    private const string EmailKey = "portal-staff-email";

    /// <summary>Sets the acting person (or key) for the rest of this asynchronous flow.</summary>
    public static void Set(string name, string? email)
    {
        RequestContext.Set(NameKey, name);
        if (email is not null)
        {
            RequestContext.Set(EmailKey, email);
        }
    }

    /// <summary>The acting person, or <see cref="Actor.Staff"/> when the call does not name one.</summary>
    public static Actor Current => Named ?? Actor.Staff;

    /// <summary>The acting person, or null when the call does not name one (Portal itself, a retry after a restart).</summary>
    public static Actor? Named =>
        RequestContext.Get(NameKey) is string { Length: > 0 } name
            ? new Actor(ActorKind.Staff, null, name, RequestContext.Get(EmailKey) as string)
            : null;
}
