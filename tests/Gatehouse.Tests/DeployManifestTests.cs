using System.CommandLine;
using Gatehouse.Hosting;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Tests;

/// <summary>
/// deploy/, checked offline: the Kubernetes manifests parse, the container's arguments are ones <c>gatehouse serve</c>
/// accepts, the probes and the Service point at ports the instance serves, the secrets it reads are those the
/// manifests (and CloudNativePG for its cluster) create, and the container build publishes the executable.
/// </summary>
public sealed class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(GatehouseProcess.RepositoryRoot, "deploy");

    private static readonly List<YamlMappingNode> Documents = Directory.GetFiles(Path.Combine(Deploy, "kubernetes"), "*.yaml")
        .SelectMany(file =>
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
        })
        .ToList();

    private static YamlMappingNode Kind(string kind) => Documents.Single(d => Text(d, "kind") == kind);

    private static YamlMappingNode Container => (YamlMappingNode)((YamlSequenceNode)At(Kind("Deployment"), "spec", "template", "spec", "containers"))[0];

    private static string[] Arguments => [.. ((YamlSequenceNode)Container["args"]).Select(a => ((YamlScalarNode)a).Value!)];

    private static string Option(string name) => Arguments.Single(a => a.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private static IEnumerable<string> Options(string name) =>
        Arguments.Where(a => a.StartsWith(name + "=", StringComparison.Ordinal)).Select(a => a[(name.Length + 1)..]);

    private static YamlNode At(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string Text(YamlNode node, params string[] keys) =>
        ((YamlScalarNode)(keys.Length == 0 ? node : At((YamlMappingNode)node, keys))).Value!;

    private static IEnumerable<int> ContainerPorts => ((YamlSequenceNode)Container["ports"]).Select(p => int.Parse(Text(p, "containerPort")));

    [Fact]
    public void Every_manifest_is_a_named_kubernetes_object()
    {
        Assert.Equal(["Cluster", "Deployment", "Kustomization", "Service"], Documents.Select(d => Text(d, "kind")).Order());
        Assert.All(Documents.Where(d => Text(d, "kind") != "Kustomization"), d => Assert.NotEmpty(Text(d, "metadata", "name")));
        var listed = ((YamlSequenceNode)Kind("Kustomization")["resources"]).Select(r => Text(r)).Order();
        Assert.Equal(Directory.GetFiles(Path.Combine(Deploy, "kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order(), listed);
    }

    [Fact]
    public void The_container_runs_serve_with_arguments_it_accepts_on_a_shared_store_with_several_replicas()
    {
        Assert.Equal("serve", Arguments[0]);
        var parsed = new RootCommand { ServeCommand.Build() }.Parse(Arguments);
        Assert.Empty(parsed.Errors);
        Assert.True(int.Parse(Text(Kind("Deployment"), "spec", "replicas")) >= 2);

        var store = new Uri(Option("--store"));
        var cluster = Kind("Cluster");
        Assert.Equal($"{Text(cluster, "metadata", "name")}-rw", store.Host);
        Assert.Equal(Text(cluster, "spec", "bootstrap", "initdb", "database"), store.AbsolutePath.Trim('/'));
        Assert.Equal(Text(cluster, "spec", "bootstrap", "initdb", "owner"), store.UserInfo);
    }

    [Fact]
    public void Probes_and_the_service_reach_ports_the_instance_serves()
    {
        var local = ServeCommand.ParsePortMap(Options("--port-map"));
        Assert.Equal(local.Values.Append(int.Parse(Option("--management-port"))).Order(), ContainerPorts.Order());
        Assert.Equal(local[443], int.Parse(Text(Container, "readinessProbe", "tcpSocket", "port")));
        Assert.Equal(int.Parse(Option("--management-port")), int.Parse(Text(Container, "livenessProbe", "httpGet", "port")));
        Assert.Equal("0.0.0.0", Option("--management-address"));

        var service = ((YamlSequenceNode)At(Kind("Service"), "spec", "ports")).Select(p => (Port: int.Parse(Text(p, "port")), Target: int.Parse(Text(p, "targetPort"))));
        Assert.All(service, p => Assert.Equal(local[p.Port], p.Target));
        Assert.DoesNotContain(int.Parse(Option("--management-port")), service.Select(p => p.Target));
    }

    [Fact]
    public void The_data_key_and_the_password_come_from_secrets_that_exist()
    {
        var generated = ((YamlSequenceNode)Kind("Kustomization")["secretGenerator"]).Select(s => Text(s, "name"));
        var keyVolume = ((YamlSequenceNode)At(Kind("Deployment"), "spec", "template", "spec", "volumes")).Cast<YamlMappingNode>()
            .Single(v => v.Children.ContainsKey("secret"));
        Assert.Contains(Text(keyVolume, "secret", "secretName"), generated);
        var mount = ((YamlSequenceNode)Container["volumeMounts"]).Single(m => Text(m, "name") == Text(keyVolume, "name"));
        Assert.Equal(Text(mount, "mountPath"), Path.GetDirectoryName(Option("--data-key-file")));

        var password = ((YamlSequenceNode)Container["env"]).Single(e => Text(e, "name") == "PGPASSWORD");
        // CloudNativePG's secret for the cluster's owner.
        Assert.Equal($"{Text(Kind("Cluster"), "metadata", "name")}-app", Text(password, "valueFrom", "secretKeyRef", "name"));
        Assert.Contains("data.key", File.ReadAllText(Path.Combine(GatehouseProcess.RepositoryRoot, ".gitignore")));
    }

    [Fact]
    public void The_container_build_publishes_the_gatehouse_executable_it_runs()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Deploy, "Dockerfile"));
        var publish = dockerfile.Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal)).Split(' ');
        Assert.True(File.Exists(Path.Combine(GatehouseProcess.RepositoryRoot, publish[3])), publish[3]);
        var output = publish[Array.IndexOf(publish, "-o") + 1];
        var copied = dockerfile.Single(l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(output, copied[2]);
        Assert.Equal($"ENTRYPOINT [\"{copied[3]}/gatehouse\"]", dockerfile.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }
}
