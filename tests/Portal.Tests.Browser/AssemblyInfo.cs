// Each test class starts a whole portal (silo and web) and drives Chromium pages against it. Run side by side on a
// 2-core machine, five of them starve each other until navigations pass Playwright's 30 s timeout; one class at a
// time keeps every step far from it, for about a minute more in all.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
