using System.Diagnostics;
using Xunit.Abstractions;

namespace Gatehouse.Tests;

/// <summary>
/// What the instances behind HAProxy do together (see <see cref="ScaleOut"/>). Each test leaves all three instances
/// and PostgreSQL running, so that the tests hold in any order.
/// </summary>
public sealed class ScaleOutTests(ScaleOut scale, ITestOutputHelper output) : IClassFixture<ScaleOut>
{
    [Fact]
    public async Task A_deployment_through_instance_1_is_served_by_instance_3_and_each_instance_names_itself()
    {
        output.WriteLine($"Propagation from instance 1 to instance 3: {scale.Propagation.TotalMilliseconds:F0} ms");

        using var client = scale.Client(keepAlive: false);
        for (var request = 0; request < 6; request++) Assert.True((await client.GetAsync("")).IsSuccessStatusCode);
        var view = await scale.InstancesAsync(3);
        var ids = view["value"]!.AsArray().Where(i => i!["state"]!.GetValue<string>() == "Running").Select(i => i!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(3, ids.Count);
        // Round robin spreads six new connections over the three instances; each logs them under its own name.
        for (var instance = 1; instance <= 3; instance++)
        {
            var own = ids.Single(id => scale.Output(instance).Contains($"Instance: {id}", StringComparison.Ordinal));
            var log = Path.Combine(scale.DataDirectory(instance), "logs", "access.log");
            await Eventually(() => File.Exists(log) && File.ReadAllText(log).Contains($"\"instanceId\":\"{own}\"", StringComparison.Ordinal), $"instance {instance} logs as {own}");
        }
        var gateway = view["gateways"]![0]!;
        Assert.Equal(3, gateway["capacity"]!.GetValue<int>());
        Assert.Equal(0, gateway["difference"]!.GetValue<int>());
    }

    [Fact]
    public async Task Under_load_SIGKILL_of_one_instance_fails_no_request_that_HAProxy_can_send_elsewhere()
    {
        var clients = new[] { true, true, true, false, false }.Select(keepAlive => (KeepAlive: keepAlive, Client: scale.Client(keepAlive))).ToList();
        var clock = Stopwatch.StartNew();
        var loads = clients.Select(c => LoadAsync(c.Client, clock, TimeSpan.FromSeconds(7))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await scale.KillInstanceAsync(2);
        var killedAt = clock.Elapsed;
        var outcomes = await Task.WhenAll(loads);
        foreach (var (_, client) in clients) client.Dispose();

        var all = outcomes.SelectMany(o => o).ToList();
        output.WriteLine($"{all.Count} requests, {all.Count(o => !o.Succeeded)} failed: " +
            string.Join(", ", all.Where(o => !o.Succeeded).Select(o => $"{o.Started.TotalMilliseconds:F0} ms {o.Error}")));
        Assert.All(outcomes, o => Assert.Contains(o, r => r.Succeeded && r.Started > killedAt + TimeSpan.FromSeconds(1)));
        // A request already on a connection to the killed instance is lost with it (HAProxy in TCP mode cannot replay
        // it): at most one per client. Every request that began on a new connection once HAProxy could see the
        // instance gone (two missed checks, 600 ms) went elsewhere.
        Assert.All(outcomes, o => Assert.True(o.Count(r => !r.Succeeded) <= 1, string.Join(", ", o.Where(r => !r.Succeeded).Select(r => r.Error))));
        Assert.DoesNotContain(all, r => !r.Succeeded && r.Started > killedAt + TimeSpan.FromSeconds(1));

        await scale.StartInstanceAsync(2);
        await scale.ConvergedAsync(through: 2);
    }

    [Fact]
    public async Task With_PostgreSQL_stopped_for_10_s_the_instances_keep_serving_management_calls_answer_503_and_a_later_deployment_reaches_all()
    {
        var before = await scale.ConvergedAsync(through: 1);
        using var client = scale.Client(keepAlive: false);
        var clock = Stopwatch.StartNew();

        await scale.Postgres.StopAsync();
        Completed refused;
        List<Outcome> served;
        try
        {
            refused = await GatehouseProcess.RunGatehouseAsync("group", "show", "--name", ScaleOut.Group, "--data-dir", scale.DataDirectory(2));
            served = await LoadAsync(client, clock, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await scale.Postgres.ResumeAsync();
        }

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("StoreUnavailable", refused.Stderr);
        Assert.Contains("keep serving their last configuration", refused.Stderr);
        Assert.NotEmpty(served);
        Assert.All(served, o => Assert.True(o.Succeeded, o.Error));

        var deployed = await DeployWhenStoreIsBackAsync(3, "after-outage");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.True(await scale.ConvergedAsync(through: 1) > before);
    }

    [Fact]
    public async Task Two_deployments_sent_at_once_to_two_instances_are_both_applied_in_turn_and_all_converge_on_one_revision()
    {
        var before = await scale.ConvergedAsync(through: 3);

        var both = await Task.WhenAll(scale.DeployAsync(1, "at-once-1", capacity: 2), scale.DeployAsync(2, "at-once-2", capacity: 4));

        Assert.All(both, deployed => Assert.True(deployed.ExitCode == 0, deployed.ToString()));
        Assert.Equal(before + 2, await scale.ConvergedAsync(through: 3));
        var gateway = (await scale.InstancesAsync(1))["gateways"]![0]!;
        Assert.Contains(gateway["capacity"]!.GetValue<int>(), new[] { 2, 4 });
        Assert.Equal(3 - gateway["capacity"]!.GetValue<int>(), gateway["difference"]!.GetValue<int>());
    }

    /// <summary>The first management call after PostgreSQL returns may meet a pooled connection it closed; az would retry a 503 too.</summary>
    private async Task<Completed> DeployWhenStoreIsBackAsync(int instance, string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var deployed = await scale.DeployAsync(instance, name);
            if (deployed.ExitCode == 0 || attempt == 4 || !deployed.Stderr.Contains("StoreUnavailable", StringComparison.Ordinal)) return deployed;
            await Task.Delay(1000);
        }
    }

    private sealed record Outcome(TimeSpan Started, bool Succeeded, string? Error);

    /// <summary>One request after another for <paramref name="duration"/> (and at most 2,000), each with its start and outcome.</summary>
    private static async Task<List<Outcome>> LoadAsync(HttpClient client, Stopwatch clock, TimeSpan duration)
    {
        var outcomes = new List<Outcome>();
        var end = clock.Elapsed + duration;
        while (clock.Elapsed < end && outcomes.Count < 2000)
        {
            var started = clock.Elapsed;
            try
            {
                using var response = await client.GetAsync("");
                outcomes.Add(new Outcome(started, response.IsSuccessStatusCode, response.IsSuccessStatusCode ? null : $"status {(int)response.StatusCode}"));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcomes.Add(new Outcome(started, false, e.Message));
            }
            await Task.Delay(5);
        }
        return outcomes;
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within 15 s: {what}");
            await Task.Delay(100);
        }
    }
}
