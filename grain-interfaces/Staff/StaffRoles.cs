namespace Portal;

/// <summary>A person's (or an API key's) role in one company.</summary>
[GenerateSerializer]
public enum StaffRole
{
    Owner,
    Admin,
    Member,
}

/// <summary>What staff can do, one row of the permission table each (see <see cref="StaffPermissions"/>).</summary>
public enum StaffRight
{
    /// <summary>Clients, projects, bookings, files and portal links: read and change.</summary>
    Work,
    /// <summary>Proposals: create, edit, send, withdraw.</summary>
    Proposals,
    /// <summary>Invoices and payments: read.</summary>
    ReadInvoices,
    /// <summary>Invoices: create, send; record payments; void.</summary>
    ChangeInvoices,
    /// <summary>Money figures on the dashboard, and exports.</summary>
    Money,
    /// <summary>Company settings, the team and API keys (an admin cannot touch the owner).</summary>
    Administer,
    /// <summary>Hand the company's ownership to another member.</summary>
    TransferOwnership,
}

/// <summary>The one permission table: pages, the API and the hubs all ask it, never a role name.</summary>
public static class StaffPermissions
{
    public static bool Can(StaffRole role, StaffRight permission) => permission switch
    {
        StaffRight.Work or StaffRight.Proposals or StaffRight.ReadInvoices => true,
        StaffRight.ChangeInvoices or StaffRight.Money or StaffRight.Administer => role is StaffRole.Owner or StaffRole.Admin,
        StaffRight.TransferOwnership => role == StaffRole.Owner,
        _ => false,
    };

    /// <summary>The role as the API and pages write it: <c>owner</c>, <c>admin</c>, <c>member</c>.</summary>
    public static string Wire(StaffRole role) => role switch
    {
        StaffRole.Owner => "owner",
        StaffRole.Admin => "admin",
        _ => "member",
    };

    public static bool TryParse(string? text, out StaffRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "owner": role = StaffRole.Owner; return true;
            case "admin": role = StaffRole.Admin; return true;
            case "member": role = StaffRole.Member; return true;
            default: role = StaffRole.Member; return false;
        }
    }
}
