namespace Portal.Web.Auth;

/// <summary>
/// Names the staff person (or API key) behind a request on Orleans' request context (<see cref="StaffActing"/>), after
/// authentication and authorization, so every grain call the request makes records who did it: activity entries
/// ("Sam Patel sent Quote Q-1007") and the company audit log alike.
/// </summary>
public static class StaffActingMiddleware
{
    public static IApplicationBuilder UseStaffActing(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var user = context.User;
            if (user.IsInRole(StaffClaims.StaffRole) && user.FindFirst(StaffClaims.CompanyId) is not null)
            {
                var actor = user.ToActor();
                StaffActing.Set(actor.Name, actor.Email);
            }
            return next(context);
        });
}
