namespace Portal.Web.ClientPortal;

/// <summary>Inline icons of our own (decorative; the links around them carry the accessible name).</summary>
public static class Icons
{
    public const string Download =
        "<svg aria-hidden=\"true\" focusable=\"false\" width=\"18\" height=\"18\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\"><path d=\"M12 3v12\"/><path d=\"M7 10l5 5 5-5\"/><path d=\"M5 21h14\"/></svg>";
}
