using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Portal.Web.Live;

/// <summary>A project a page watches and the version it was rendered from (0: unknown, take the hub's answer).</summary>
public sealed record LiveProject(Guid Id, long Version);

/// <summary>
/// What a portal page asks the layout for: the projects to watch over <c>/hubs/portal</c> (with live.js), whether
/// the page counts as the client viewing the project (staff presence), and the document it shows, so an edit to
/// it can be pointed out.
/// </summary>
public sealed record LivePage(
    IReadOnlyList<LiveProject> Projects, bool Presence, Guid? DocumentId = null, int? DocumentVersion = null, string? DocumentNoun = null)
{
    private const string Key = "portal-live";

    public static void Set(ViewDataDictionary viewData, LivePage page) => viewData[Key] = page;

    public static LivePage? Get(ViewDataDictionary viewData) => viewData[Key] as LivePage;

    public static void Project(ViewDataDictionary viewData, Guid projectId, long version) =>
        Set(viewData, new LivePage([new LiveProject(projectId, version)], Presence: true));

    public static void Document(ViewDataDictionary viewData, Guid projectId, long version, Guid documentId, int documentVersion, string noun) =>
        Set(viewData, new LivePage([new LiveProject(projectId, version)], Presence: true, documentId, documentVersion, noun));
}
