using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Live;

namespace Portal.Tests.Functional;

/// <summary>
/// ASP.NET Core's rate limiter in front of what strangers reach (per network), the staff API per key, hub connections,
/// failed credentials per network, and the hub's short-lived access tokens instead of the API key in a URL.
/// </summary>
[Trait("Category", "Security")]
public sealed class RateLimitTests
{
    private static Task<PortalTestHost> HostAsync(params (string Key, string Value)[] limits)
    {
        var settings = new Dictionary<string, string?> { ["Portal:RateLimits:Enabled"] = "true" };
        foreach (var (key, value) in limits)
        {
            settings["Portal:RateLimits:" + key] = value;
        }
        return PortalTestHost.StartAsync(settings: settings);
    }

    [Fact]
    public async Task Link_entries_and_pages_are_limited_per_network_with_the_friendly_page_while_health_and_api_stay_open()
    {
        await using var host = await HostAsync(("LinkEntriesPerMinute", "3"), ("RequestsPerMinute", "8"));
        using var browser = host.CreateClient(followRedirects: false);

        for (var i = 0; i < 3; i++)
        {
            using var unknown = await browser.GetAsync("/p/not-a-real-link-" + i);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var limited = await browser.GetAsync("/p/not-a-real-link-3"))
        {
            await AssertFriendlyTooManyAsync(limited);
        }

        // The global limit (8 a minute here) covers every other page from the network too: 4 used, 4 left.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var page = await browser.GetAsync("/portal/projects");
            statuses.Add(page.StatusCode);
            if (page.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertFriendlyTooManyAsync(page);
            }
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // Health probes, the Stripe webhook's signature check and the staff API (limited per key instead) are not throttled.
        using (var ready = await browser.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        using (var webhook = await browser.PostAsync("/webhooks/stripe", new StringContent("{}")))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, webhook.StatusCode);
        }
        await host.Api.GetOkAsync("/api/company");
    }

    [Fact]
    public async Task The_staff_api_is_limited_per_key_so_one_busy_key_does_not_stop_another()
    {
        await using var host = await HostAsync(("ApiRequestsPerSecond", "2"));
        var second = (await host.Api.PostOkAsync("/api/api-keys", new { label = "Second" })).Str("key");

        // A burst of 12 on one key: the bucket holds 4 (twice the rate), so most are refused with the code and Retry-After.
        var burst = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => host.Api.GetAsync("/api/company")));
        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(refused.Count, 6, 12);
        var problem = await refused[0].AssertProblemAsync(HttpStatusCode.TooManyRequests, RuleCodes.RequestRateLimited);
        Assert.Contains("Try again", problem.Str("detail"), StringComparison.Ordinal);
        Assert.True(refused[0].Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        foreach (var response in burst)
        {
            response.Dispose();
        }

        // The other key, from the same address, is served at once.
        using var other = host.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second);
        await other.GetOkAsync("/api/company");

        // And the busy key is served again once its bucket refills.
        await Eventually.UntilAsync(async () =>
        {
            using var again = await host.Api.GetAsync("/api/company");
            return again.StatusCode == HttpStatusCode.OK;
        }, "the first key served again");
    }

    [Fact]
    public async Task Hub_connections_are_capped_per_network_and_a_closed_one_frees_its_place()
    {
        await using var host = await HostAsync(("HubConnections", "2"));

        var first = await LiveStaffFeed.OpenAsync(host.BaseUri, PortalTestHost.ApiKey);
        await using var second = await LiveStaffFeed.OpenAsync(host.BaseUri, PortalTestHost.ApiKey);
        await using (var third = LiveStaffFeed.Build(host.BaseUri, PortalTestHost.ApiKey))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => third.StartAsync());
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        await first.DisposeAsync();
        await Eventually.UntilAsync(async () =>
        {
            await using var next = LiveStaffFeed.Build(host.BaseUri, PortalTestHost.ApiKey);
            try
            {
                await next.StartAsync();
                return next.State == HubConnectionState.Connected;
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return false;
            }
        }, "a connection after one closed");
    }

    [Fact]
    public async Task Hub_requests_are_limited_per_network()
    {
        // Each connection takes two requests (negotiate and connect).
        await using var host = await HostAsync(("HubRequestsPerMinute", "4"));
        await using var first = await LiveStaffFeed.OpenAsync(host.BaseUri, PortalTestHost.ApiKey);
        await using var second = await LiveStaffFeed.OpenAsync(host.BaseUri, PortalTestHost.ApiKey);
        await using var third = LiveStaffFeed.Build(host.BaseUri, PortalTestHost.ApiKey);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => third.StartAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task Failed_api_keys_are_limited_per_network_but_a_valid_key_and_token_still_get_in()
    {
        // The default test host: rate limits off, failure counting always on.
        await using var host = await PortalTestHost.StartAsync();
        using var guesser = host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/company");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"guess-{i}-0123456789-abcdefghijklmnop");
            using var response = await guesser.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, RuleCodes.RequestRateLimited);
                Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.RetryAfter?.Delta);
            }
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 9), statuses.Take(9));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3), statuses.Skip(9));

        // A bad hub token from the blocked network is refused the same way …
        await using (var badToken = LiveStaffFeed.Build(host.BaseUri, LiveAccessTokens.Prefix + "forged", queryToken: true))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => badToken.StartAsync());
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // … while the valid key, and a token it was given, still get in.
        await host.Api.GetOkAsync("/api/company");
        var token = (await host.Api.PostOkAsync("/api/live/token", null, HttpStatusCode.OK)).Str("accessToken");
        await using var feed = LiveStaffFeed.Build(host.BaseUri, token, queryToken: true);
        await feed.StartAsync();
    }

    [Fact]
    public async Task A_hub_token_stops_opening_connections_when_it_expires_or_its_key_is_removed()
    {
        var clock = new ShiftedClock();
        await using var host = await PortalTestHost.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));

        var shortLived = (await host.Api.PostOkAsync("/api/live/token", null, HttpStatusCode.OK)).Str("accessToken");
        // The portal's clock passes the token's five minutes.
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await AssertRefusedAsync(host, shortLived);

        await using var longer = await PortalTestHost.StartAsync();
        var created = await longer.Api.PostOkAsync("/api/api-keys", new { label = "Rotating" });
        using var withKey = longer.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("key"));
        var token = (await withKey.PostOkAsync("/api/live/token", null, HttpStatusCode.OK)).Str("accessToken");
        await using (var open = LiveStaffFeed.Build(longer.BaseUri, token, queryToken: true))
        {
            await open.StartAsync();
        }
        using (var removed = await longer.Api.DeleteAsync($"/api/api-keys/{created.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        await AssertRefusedAsync(longer, token);

        // A token altered by one character is not one.
        await AssertRefusedAsync(longer, token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]);
    }

    [Fact]
    public async Task The_default_limits_let_a_client_and_staff_work_normally()
    {
        await using var host = await HostAsync();
        var (_, projectId, _, invoiceId, _, browser) = await LiveScenario.ClientWithInvoiceAsync(host);
        using (browser)
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal/projects")).Status);
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/projects/{projectId}")).Status);
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/invoices/{invoiceId}")).Status);
            }
            await using var page = await LivePortalPage.OpenAsync(host.BaseUri, browser.Cookies);
            Assert.True(await page.WatchAsync(projectId) > 0);
        }
        for (var i = 0; i < 50; i++)
        {
            await host.Api.GetOkAsync($"/api/projects/{projectId}");
        }
    }

    private static async Task AssertRefusedAsync(PortalTestHost host, string token)
    {
        await using var feed = LiveStaffFeed.Build(host.BaseUri, token, queryToken: true);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => feed.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static async Task AssertFriendlyTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
