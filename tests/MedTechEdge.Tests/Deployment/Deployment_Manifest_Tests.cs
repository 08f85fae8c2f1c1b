using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MedTechEdge.Configuration;
using MedTechEdge.IotEdge;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.Tests.Deployment;

/// <summary>
/// The IoT Edge deployment manifests, module.json files, Dockerfiles and .dockerignore, checked against the module
/// itself: routes name real inputs and outputs, port bindings are the listener's ports, the desired properties load
/// with the module's own mapping loader and bind to its options, and the images copy every project they build.
/// Nothing here runs Docker or IoT Edge; it reads the files as the tooling would.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class Deployment_Manifest_Tests
{
    private const string ModuleName = "MedTechEdge";

    /// <summary>IoT Hub's limit on the desired properties of one twin (device twins guide, "Twin size").</summary>
    private const int MaxDesiredBytes = 32 * 1024;

    /// <summary>IoT Hub's limit on the nesting of twin objects; arrays are counted too, which is the safe reading.</summary>
    private const int MaxDesiredDepth = 10;

    /// <summary>The tooling splits createOptions into at most eight 512-character chunks (createOptions … createOptions07).</summary>
    private const int MaxCreateOptionsChars = 8 * 512;

    public static TheoryData<string> Manifests => new() { "deployment.template.json", "deployment.debug.template.json" };

    /// <summary>
    /// What a user puts in .env for each placeholder, as a value of the right shape. A new placeholder needs a line
    /// here and a row in docs/deploy.md (<see cref="Every_Placeholder_Is_Documented_In_The_Deploy_Guide"/>).
    /// </summary>
    private static readonly Dictionary<string, string> s_plausibleValues = new(StringComparer.Ordinal)
    {
        ["CONTAINER_REGISTRY_ADDRESS"] = "example.azurecr.io",
        ["CONTAINER_REGISTRY_USERNAME"] = "example",
        ["CONTAINER_REGISTRY_PASSWORD"] = "registry-password",
        ["FHIR_URL"] = "https://example-fhir.fhir.azurehealthcareapis.com",
        ["MQTT_ALLOW_ANONYMOUS"] = "false",
        ["MQTT_CREDENTIALS_FILE"] = "/config/mqtt-credentials",
        ["MQTT_TLS_CERTIFICATE_FILE"] = "/config/tls/server.pem",
        ["MQTT_TLS_PRIVATE_KEY_FILE"] = "/config/tls/server.key",
        ["EVENTHUB_CONNECTION_STRING"] = "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5;EntityPath=medtech",
        ["DASHBOARD_ACCESS_KEY"] = "a-long-random-key",
    };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_Route_Names_A_Real_Module_Input_Or_Output(string manifestName)
    {
        JsonObject manifest = LoadManifest(manifestName);
        JsonObject modules = AgentModules(manifest);
        HashSet<string> inputs = new(ConfiguredInputs(manifest), StringComparer.Ordinal) { ModuleEndpoints.DeviceDataInput };
        JsonObject routes = Desired(manifest, "$edgeHub")["routes"]!.AsObject();
        Assert.NotEmpty(routes);

        foreach ((string name, JsonNode? value) in routes)
        {
            // A route is a string, or (schema 1.1) an object with the string under "route" and a priority and TTL.
            string route = value is JsonObject withPriority ? (string)withPriority["route"]! : (string)value!;
            Assert.Matches(RouteNamePattern(), name);
            Match match = RoutePattern().Match(route);
            Assert.True(match.Success, $"route {name} does not parse: {route}");

            string source = match.Groups["source"].Value;
            if (source is not ("/*" or "/messages/*"))
            {
                Match output = OutputSourcePattern().Match(source);
                Assert.True(output.Success, $"route {name}: unknown source {source}");
                string module = output.Groups["module"].Value;
                Assert.True(modules.ContainsKey(module), $"route {name}: no module {module} in the manifest");
                string outputName = output.Groups["output"].Value;
                IReadOnlyList<string> outputs = module switch
                {
                    ModuleName => ModuleEndpoints.Outputs,
                    // The simulator run as a module (SIMULATOR_TRANSPORT=edgehub) sends on the output its manifest env names, "telemetry" by default.
                    "DeviceSimulator" => [SimulatorOutput(modules)],
                    _ => [],
                };
                Assert.True(outputs.Count > 0, $"route {name}: the outputs of {module} are not known to this test");
                Assert.True(
                    outputName == "*" || outputs.Contains(outputName),
                    $"route {name}: {module} has no output '{outputName}' (it has: {string.Join(", ", outputs)})");
            }

            string sink = match.Groups["sink"].Value;
            if (sink != "$upstream")
            {
                Match input = InputSinkPattern().Match(sink);
                Assert.True(input.Success, $"route {name}: unknown sink {sink}");
                Assert.Equal(ModuleName, input.Groups["module"].Value);
                Assert.True(
                    inputs.Contains(input.Groups["input"].Value),
                    $"route {name}: {ModuleName} takes device messages on {string.Join(", ", inputs)}, not '{input.Groups["input"].Value}'");
            }
        }

        // Device telemetry reaches the module, and every output has a way out.
        Assert.Contains(routes, r => RouteText(r.Value).Contains($"INTO BrokeredEndpoint(\"/modules/{ModuleName}/inputs/{ModuleEndpoints.DeviceDataInput}\")", StringComparison.Ordinal));
        foreach (string output in ModuleEndpoints.Outputs)
        {
            Assert.Contains(routes, r => RouteText(r.Value).Contains($"FROM /messages/modules/{ModuleName}/outputs/{output} ", StringComparison.Ordinal)
                || RouteText(r.Value).Contains($"FROM /messages/modules/{ModuleName}/outputs/* ", StringComparison.Ordinal));
        }

        int ttl = (int)Desired(manifest, "$edgeHub")["storeAndForwardConfiguration"]!["timeToLiveSecs"]!;
        Assert.True(ttl > 0);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_Module_Has_A_Module_Json_And_A_Dockerfile_For_Each_Platform(string manifestName)
    {
        JsonObject manifest = LoadManifest(manifestName);
        bool debug = manifestName.Contains(".debug.", StringComparison.Ordinal);
        Assert.True(AgentModules(manifest).ContainsKey(ModuleName));
        foreach ((string name, JsonNode? module) in AgentModules(manifest))
        {
            Assert.Matches(ModuleNamePattern(), name);
            Assert.Equal("docker", (string)module!["type"]!);
            Assert.Contains((string)module["status"]!, new[] { "running", "stopped" });
            Assert.Contains((string)module["restartPolicy"]!, new[] { "never", "on-failure", "on-unhealthy", "always" });

            // ${MODULES.<folder>} builds the folder's image for the default platform; ".debug" its debug Dockerfile.
            string image = (string)module["settings"]!["image"]!;
            Assert.Equal(debug ? $"${{MODULES.{name}.debug}}" : $"${{MODULES.{name}}}", image);

            JsonObject moduleJson = ModuleJson(name);
            Assert.StartsWith("$CONTAINER_REGISTRY_ADDRESS/", (string)moduleJson["image"]!["repository"]!, StringComparison.Ordinal);
            Assert.Matches(@"^\d+\.\d+\.\d+$", (string)moduleJson["image"]!["tag"]!["version"]!);
            string context = Path.GetFullPath(Path.Combine(Root, "modules", name, (string)moduleJson["image"]!["contextPath"]!));
            Assert.Equal(Path.TrimEndingDirectorySeparator(Root), Path.TrimEndingDirectorySeparator(context));

            JsonObject platforms = moduleJson["image"]!["tag"]!["platforms"]!.AsObject();
            foreach (string platform in new[] { "amd64", "arm64v8" })
            {
                string key = debug ? platform + ".debug" : platform;
                Assert.True(platforms.ContainsKey(key), $"modules/{name}/module.json has no platform {key}");
                Assert.True(File.Exists(Path.Combine(Root, "modules", name, (string)platforms[key]!)), $"modules/{name}: {platforms[key]} is missing");
            }
        }
    }

    [Fact]
    public void Dockerfiles_Copy_Every_Project_The_Module_References_Transitively()
    {
        string[] rootFiles = ["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];
        foreach ((string module, string dockerfile, string platform) in Dockerfiles())
        {
            string csproj = Assert.Single(Directory.GetFiles(Path.Combine(Root, "modules", module), "*.csproj"));
            List<string> projects = ProjectClosure(csproj);
            Assert.Contains(projects, p => p.StartsWith("src/", StringComparison.Ordinal));

            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", module, dockerfile));
            int restore = file.BuildStage.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
            int publish = file.BuildStage.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
            Assert.True(restore >= 0 && publish > restore, $"{module}/{dockerfile}: restore, then publish");

            List<string> copiedBeforeRestore = file.CopySources(0, restore);
            List<string> copiedBeforePublish = file.CopySources(0, publish);
            foreach (string rootFile in rootFiles)
            {
                Assert.True(Covers(copiedBeforeRestore, rootFile), $"{module}/{dockerfile}: {rootFile} is not copied before the restore");
            }

            foreach (string project in projects)
            {
                string folder = Path.GetDirectoryName(project)!.Replace('\\', '/');
                Assert.True(Covers(copiedBeforeRestore, project), $"{module}/{dockerfile}: {project} is not copied before the restore");
                Assert.True(Covers(copiedBeforePublish, folder + "/"), $"{module}/{dockerfile}: {folder}/ is not copied before the publish");
            }

            // Publish for the platform the file is named for, in the configuration it is named for.
            string rid = platform.StartsWith("arm64v8", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64";
            string configuration = platform.EndsWith(".debug", StringComparison.Ordinal) ? "Debug" : "Release";
            Assert.Contains($"-r {rid}", file.BuildStage[restore].Arguments, StringComparison.Ordinal);
            Assert.Contains($"-r {rid}", file.BuildStage[publish].Arguments, StringComparison.Ordinal);
            Assert.Contains($"-c {configuration}", file.BuildStage[publish].Arguments, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(csproj), file.BuildStage[publish].Arguments, StringComparison.Ordinal);
            if (rid == "linux-arm64")
            {
                // The SDK stage runs on the build host and cross-publishes: no emulation.
                Assert.Contains("--platform=$BUILDPLATFORM", file.BuildStage[0].Arguments, StringComparison.Ordinal);
                Assert.Contains("arm64v8", file.FinalStage[0].Arguments, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Dockerfiles_Run_The_Module_As_A_Non_Root_User()
    {
        foreach ((string module, string dockerfile, _) in Dockerfiles())
        {
            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", module, dockerfile));
            Instruction user = Assert.Single(file.FinalStage, i => i.Keyword == "USER");
            Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user.Arguments);
            Assert.DoesNotContain(file.FinalStage, i => i.Keyword == "USER" && file.FinalStage.IndexOf(i) > file.FinalStage.FindIndex(e => e.Keyword == "ENTRYPOINT"));
            // A self-contained publish starts as its own executable; a framework-dependent one through dotnet.
            string entry = file.PublishesSelfContained ? $"[\"./{module}\"]" : $"\"{module}.dll\"";
            Assert.Contains(file.FinalStage, i => i.Keyword == "ENTRYPOINT" && i.Arguments.Contains(entry, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_Module_Images_Ship_The_Trimmed_Self_Contained_Publish_The_Process_Tests_Run()
    {
        // docs/benchmarks.md, "3. Memory": trimmed, 0.89x the resident set; test.sh runs the process tests on the same
        // publish. The debug images stay framework-dependent and untrimmed, for the debugger.
        string testScript = File.ReadAllText(Path.Combine(Root, "test.sh"));
        Assert.Contains("-p:SelfContained=true", testScript, StringComparison.Ordinal);
        Assert.Contains("-p:PublishTrimmed=true", testScript, StringComparison.Ordinal);
        int release = 0;
        foreach ((_, string dockerfile, _) in Dockerfiles().Where(d => d.Module == ModuleName && !d.Dockerfile.EndsWith(".debug", StringComparison.Ordinal)))
        {
            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", ModuleName, dockerfile));
            Assert.True(file.PublishesSelfContained, dockerfile + ": not self-contained");
            Assert.Contains(file.BuildStage, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal) && i.Arguments.Contains("-p:PublishTrimmed=true", StringComparison.Ordinal));
            Assert.Contains(file.BuildStage, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal) && i.Arguments.Contains("-p:PublishTrimmed=true", StringComparison.Ordinal));
            release++;
        }

        Assert.Equal(2, release);
        XDocument project = XDocument.Load(Path.Combine(Root, "modules", ModuleName, ModuleName + ".csproj"));
        Assert.Contains(project.Descendants("TrimMode"), e => e.Value == "partial" && ((string?)e.Parent!.Attribute("Condition"))!.Contains("PublishTrimmed", StringComparison.Ordinal));
    }

    [Fact]
    public void Module_Dockerfiles_Carry_The_Measured_Garbage_Collector_Settings()
    {
        // docs/operations.md, "Memory": the settings chosen by measurement (docs/benchmarks.md, "3. Memory"), in every
        // image of the module, debug ones included, with the values the table there gives.
        string operations = File.ReadAllText(Path.Combine(Root, "docs", "operations.md"));
        int checkedFiles = 0;
        foreach ((string module, string dockerfile, _) in Dockerfiles().Where(d => d.Module == "MedTechEdge"))
        {
            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", module, dockerfile));
            var environment = file.Environment().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            foreach ((string name, string value) in new[] { ("DOTNET_gcServer", "0"), ("DOTNET_GCgen0MaxBudget", "0x800000"), ("DOTNET_GCName", SegmentsGarbageCollector), ("MALLOC_ARENA_MAX", "2") })
            {
                Assert.True(environment.TryGetValue(name, out string? set), $"{dockerfile}: no ENV {name}");
                Assert.Equal(value, set);
                Assert.Contains($"| `{name}` | `{value}`", operations, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("DOTNET_GCHeapHardLimit", environment.Keys);
            checkedFiles++;
        }

        Assert.Equal(4, checkedFiles);
    }

    // The runtime's segments GC, which the images name in DOTNET_GCName: a file beside libcoreclr.so that the runtime
    // loads at start, and fails to start without.
    private const string SegmentsGarbageCollector = "libclrgc.so";

    [Fact]
    public void The_Garbage_Collector_The_Images_Name_Ships_With_The_Runtime()
    {
        // The images run on the same major version of the shared framework as this test (aspnet:10.0): were a runtime
        // to stop shipping the segments GC, DOTNET_GCName would stop the module from starting, and this says so first.
        string runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        Assert.True(File.Exists(Path.Combine(runtime, OperatingSystem.IsWindows() ? "clrgc.dll" : SegmentsGarbageCollector)), $"no segments GC in {runtime}");
    }

    [Fact]
    public void Dockerignore_Keeps_Build_Output_Out_But_Nothing_A_Dockerfile_Copies()
    {
        List<Regex> ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(DockerignorePattern)
            .ToList();
        foreach (string path in new[] { "modules/MedTechEdge/bin/Release/x.dll", "src/MedTechEdge.Mqtt/obj/project.assets.json", "tests/MedTechEdge.Tests/x.cs", "bench/x", "BenchmarkDotNet.Artifacts/x", "data/medtechedge.db", "tests/peers/fhir-server/node_modules/x" })
        {
            Assert.True(ignored.Any(p => p.IsMatch(path)), $".dockerignore lets {path} into the build context");
        }

        foreach ((string module, string dockerfile, _) in Dockerfiles())
        {
            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", module, dockerfile));
            foreach (string source in file.CopySources(0, file.BuildStage.Count))
            {
                Assert.False(ignored.Any(p => p.IsMatch(source.TrimEnd('/'))), $"{module}/{dockerfile} copies {source}, which .dockerignore leaves out");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Port_Bindings_Are_The_Ports_The_Module_Listens_On(string manifestName)
    {
        JsonObject manifest = LoadManifest(manifestName);
        MedTechEdgeOptions options = EffectiveOptions(manifest);
        Assert.True(options.Mqtt.Enabled);
        // Inside the container the listener must not be on loopback, or the bindings reach nothing.
        Assert.Contains(options.Mqtt.BindAddress, new[] { "0.0.0.0", "::" });

        int tlsPort = options.Mqtt.Tls?.Port ?? new MqttServerTlsOptions().Port;
        // The dashboard is published for the bedside; open to the network only behind its access key.
        Assert.True(options.Dashboard.Enabled);
        Assert.Contains(options.Dashboard.BindAddress, new[] { "0.0.0.0", "::" });
        Assert.False(string.IsNullOrEmpty(options.Dashboard.AccessKey), "the dashboard listens on the network: it needs an access key");
        string[] listening = [$"{options.Mqtt.Port}/tcp", $"{tlsPort}/tcp", $"{options.Dashboard.Port}/tcp"];
        // The metrics endpoint is exposed on the module network only (the collector scrapes http://MedTechEdge:9600): no host port.
        Assert.True(options.Metrics.Enabled);
        Assert.Contains(options.Metrics.BindAddress, new[] { "0.0.0.0", "::" });
        string[] exposed = [.. listening, $"{options.Metrics.Port}/tcp"];
        JsonObject createOptions = CreateOptions(AgentModules(manifest)[ModuleName]!);
        Assert.Equal(listening.Order(), createOptions["HostConfig"]!["PortBindings"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(exposed.Order(), createOptions["ExposedPorts"]!.AsObject().Select(p => p.Key).Order());
        foreach ((_, string dockerfile, _) in Dockerfiles().Where(d => d.Module == ModuleName))
        {
            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", ModuleName, dockerfile));
            Instruction expose = Assert.Single(file.FinalStage, i => i.Keyword == "EXPOSE");
            Assert.Equal(exposed.Order(), expose.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Contains('/', StringComparison.Ordinal) ? p : p + "/tcp").Order());
            // A self-contained publish carries its runtime (runtime-deps is enough); a framework-dependent one needs the
            // .NET runtime, and no more: the module's HTTP endpoints are its own server, not ASP.NET Core.
            string runtimeImage = file.PublishesSelfContained ? "mcr.microsoft.com/dotnet/runtime-deps:10.0" : "mcr.microsoft.com/dotnet/runtime:10.0";
            Assert.StartsWith(runtimeImage, Assert.Single(file.FinalStage, i => i.Keyword == "FROM").Arguments, StringComparison.Ordinal);
        }

        // One host port, one container: edgeHub holds 8883 on the host, so the module's TLS listener is published elsewhere.
        var hostPorts = new List<string>();
        foreach (JsonNode? module in SystemAndCustomModules(manifest))
        {
            if (CreateOptions(module!)["HostConfig"]?["PortBindings"] is JsonObject bindings)
            {
                hostPorts.AddRange(bindings.SelectMany(b => b.Value!.AsArray()).Select(h => (string)h!["HostPort"]!));
            }
        }

        string[] twice = [.. hostPorts.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        Assert.True(twice.Length == 0, $"host ports bound by more than one container: {string.Join(", ", twice)}");
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_Store_And_The_Ndjson_Output_Are_On_The_Bound_Volume(string manifestName)
    {
        JsonObject manifest = LoadManifest(manifestName);
        MedTechEdgeOptions options = EffectiveOptions(manifest);
        JsonArray binds = CreateOptions(AgentModules(manifest)[ModuleName]!)["HostConfig"]!["Binds"]!.AsArray();
        string[] containerPaths = [.. binds.Select(b => ((string)b!).Split(':')[1])];
        Assert.Contains("/data", containerPaths);
        Assert.StartsWith("/data/", options.Store.Path, StringComparison.Ordinal);
        Assert.StartsWith("/data/", options.Output.NdjsonFolder, StringComparison.Ordinal);
        Assert.All(binds, b => Assert.StartsWith("/", (string)b!, StringComparison.Ordinal));
        foreach ((_, string dockerfile, _) in Dockerfiles().Where(d => d.Module == ModuleName))
        {
            Dockerfile file = Dockerfile.Parse(Path.Combine(Root, "modules", ModuleName, dockerfile));
            Assert.Contains(file.FinalStage, i => i.Keyword == "VOLUME" && i.Arguments.Contains("\"/data\"", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_CreateOptions_Fits_The_Manifest_Chunks(string manifestName)
    {
        foreach (JsonNode? module in SystemAndCustomModules(LoadManifest(manifestName)))
        {
            string minified = CreateOptions(module!).ToJsonString();
            Assert.True(minified.Length <= MaxCreateOptionsChars, $"createOptions of {minified.Length} characters: {minified}");
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Desired_Mappings_Load_With_The_Module_Mapping_Loader(string manifestName)
    {
        JsonObject mappings = Desired(LoadManifest(manifestName), ModuleName)["mappings"]!.AsObject();
        Assert.True(DeviceMapping.TryLoad(mappings["device"]!.ToJsonString(), out DeviceMapping? device, out IReadOnlyList<TemplateError> deviceErrors), string.Join(Environment.NewLine, deviceErrors));
        Assert.NotNull(device);
        Assert.Empty(deviceErrors);
        Assert.True(FhirMapping.TryLoad(mappings["fhir"]!.ToJsonString(), out FhirMapping? fhir, out IReadOnlyList<TemplateError> fhirErrors), string.Join(Environment.NewLine, fhirErrors));
        Assert.NotNull(fhir);
        Assert.Empty(fhirErrors);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Desired_Mappings_Are_The_Sample_Mapping_Files(string manifestName)
    {
        JsonObject mappings = Desired(LoadManifest(manifestName), ModuleName)["mappings"]!.AsObject();
        foreach ((string key, string file) in new[] { ("device", "devicecontent.json"), ("fhir", "fhirmapping.json") })
        {
            JsonNode sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "modules", ModuleName, "mappings", file)))!;
            Assert.True(
                JsonNode.DeepEquals(sample, mappings[key]),
                $"{manifestName}: the desired mappings.{key} differs from modules/{ModuleName}/mappings/{file}; copy the file's content into the manifest.");
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Desired_Configuration_Binds_To_The_Module_Options(string manifestName)
    {
        JsonObject configuration = Desired(LoadManifest(manifestName), ModuleName)["configuration"]!.AsObject();
        Dictionary<string, string?> flat = Flatten(configuration, MedTechEdgeOptions.Section);
        Assert.NotEmpty(flat);

        var options = new MedTechEdgeOptions();
        new ConfigurationBuilder().AddInMemoryCollection(flat).Build()
            .GetSection(MedTechEdgeOptions.Section)
            .Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);

        // The values arrived, not only the keys.
        Assert.Equal(SinkKind.Fhir, options.Sink);
        Assert.Equal(s_plausibleValues["FHIR_URL"], options.Fhir.Url);
        Assert.Equal(FhirAuthentication.ManagedIdentity, options.Fhir.Authentication);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Pipeline.SampledDataFlushInterval);
        Assert.True(options.Store.MaxSizeBytes > 0);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Desired_Properties_Pass_The_Module_Twin_Validator(string manifestName)
    {
        JsonObject desired = Desired(LoadManifest(manifestName), ModuleName);
        using JsonDocument document = JsonDocument.Parse(desired.ToJsonString());

        // What the module runs on receipt of the twin: secrets, unknown keys, mapping errors and the cross-check.
        bool valid = MedTechEdge.IotEdge.DesiredConfiguration.TryRead(document.RootElement, out MedTechEdge.IotEdge.DesiredConfiguration? configuration, out List<MedTechEdge.IotEdge.DesiredConfigurationError> errors);

        Assert.True(valid, string.Join(Environment.NewLine, errors));
        Assert.NotNull(configuration!.DeviceMapping);
        Assert.NotNull(configuration.FhirMapping);
        Assert.Equal("Fhir", configuration.Settings["MedTechEdge:Sink"]);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Environment_Settings_Name_Module_Options(string manifestName)
    {
        Dictionary<string, string?> environment = ModuleEnvironment(LoadManifest(manifestName));
        Dictionary<string, string?> settings = environment
            .Where(e => e.Key.StartsWith(MedTechEdgeOptions.Section + "__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        Assert.NotEmpty(settings);
        Assert.All(environment.Keys, k => Assert.True(k.StartsWith(MedTechEdgeOptions.Section + "__", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal), k));

        new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(MedTechEdgeOptions.Section)
            .Bind(new MedTechEdgeOptions(), binder => binder.ErrorOnUnknownConfiguration = true);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Secrets_Are_Placeholders_In_The_Environment_And_Never_Desired_Properties(string manifestName)
    {
        JsonObject manifest = LoadManifest(manifestName);
        JsonObject configuration = Desired(manifest, ModuleName)["configuration"]!.AsObject();
        foreach ((string key, string? value) in Flatten(configuration, string.Empty, substitute: false))
        {
            Assert.False(SecretKeyPattern().IsMatch(key), $"desired configuration {key} looks like a secret: it belongs in the module's env");
            Assert.False(value is not null && SecretValuePattern().IsMatch(value), $"desired configuration {key} holds what looks like a credential");
        }

        foreach ((string name, string? value) in ModuleEnvironment(manifest, substitute: false))
        {
            if (SecretKeyPattern().IsMatch(name.Replace("__", ":", StringComparison.Ordinal)))
            {
                Assert.True(value is not null && PlaceholderPattern().IsMatch(value), $"env {name} must be a $PLACEHOLDER, not a value");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Desired_Properties_Keep_To_The_Twin_Limits(string manifestName)
    {
        JsonObject desired = Desired(LoadManifest(manifestName), ModuleName);
        Assert.True(Depth(desired) <= MaxDesiredDepth, $"desired properties nest {Depth(desired)} deep; IoT Hub allows {MaxDesiredDepth}");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(desired.ToJsonString()) <= MaxDesiredBytes);
        foreach (string key in Keys(desired))
        {
            // Twin keys: no '.', '$', space or control characters, at most 1 KB (device twins guide, "Keys").
            Assert.False(key.Any(c => c is '.' or '$' or ' ' || char.IsControl(c)), $"twin key '{key}' holds a character IoT Hub refuses");
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(key) <= 1024);
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_Placeholder_Is_Documented_In_The_Deploy_Guide(string manifestName)
    {
        string guide = File.ReadAllText(Path.Combine(Root, "docs", "deploy.md"));
        foreach (string placeholder in Placeholders(LoadManifest(manifestName)))
        {
            Assert.True(s_plausibleValues.ContainsKey(placeholder), $"no plausible value for ${placeholder} in this test");
            Assert.Contains($"`{placeholder}`", guide, StringComparison.Ordinal);
        }
    }

    // ---- the manifest ----

    internal static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MedTechEdge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No folder holding MedTechEdge.sln above " + AppContext.BaseDirectory);
    }

    private static string SimulatorOutput(JsonObject modules) =>
        (string?)modules["DeviceSimulator"]?["env"]?["SIMULATOR_OUTPUT"]?["value"] ?? "telemetry";

    private static JsonObject LoadManifest(string name)
    {
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, name)))!.AsObject();
        Assert.Equal("4.0.0", (string)manifest["$schema-template"]!);
        return manifest;
    }

    private static JsonObject Desired(JsonObject manifest, string twin) =>
        manifest["modulesContent"]![twin]!["properties.desired"]!.AsObject();

    private static JsonObject AgentModules(JsonObject manifest) => Desired(manifest, "$edgeAgent")["modules"]!.AsObject();

    private static IEnumerable<JsonNode?> SystemAndCustomModules(JsonObject manifest) =>
        Desired(manifest, "$edgeAgent")["systemModules"]!.AsObject().Select(m => m.Value)
            .Concat(AgentModules(manifest).Select(m => m.Value));

    /// <summary>createOptions in a template is an object; the tooling stringifies it (a deployed manifest holds a string).</summary>
    private static JsonObject CreateOptions(JsonNode module) => module["settings"]!["createOptions"] switch
    {
        JsonObject options => options,
        JsonValue text => JsonNode.Parse((string)text!)!.AsObject(),
        _ => [],
    };

    private static string RouteText(JsonNode? route) => route is JsonObject o ? (string)o["route"]! : (string)route!;

    private static JsonObject ModuleJson(string module)
    {
        string path = Path.Combine(Root, "modules", module, "module.json");
        Assert.True(File.Exists(path), $"modules/{module}/module.json is missing");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    /// <summary>Every Dockerfile named by a module.json: (module folder, file name, platform).</summary>
    private static List<(string Module, string Dockerfile, string Platform)> Dockerfiles()
    {
        var result = new List<(string, string, string)>();
        foreach (string folder in Directory.GetDirectories(Path.Combine(Root, "modules")).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(folder, "module.json")))
            {
                continue;
            }

            string module = Path.GetFileName(folder);
            foreach ((string platform, JsonNode? file) in ModuleJson(module)["image"]!["tag"]!["platforms"]!.AsObject())
            {
                result.Add((module, Path.GetFileName((string)file!), platform));
            }
        }

        Assert.Contains(result, d => d.Item1 == ModuleName);
        return result;
    }

    /// <summary>The module's environment from the manifest, placeholders replaced by plausible values unless asked not to.</summary>
    private static Dictionary<string, string?> ModuleEnvironment(JsonObject manifest, bool substitute = true) =>
        (AgentModules(manifest)[ModuleName]!["env"]?.AsObject() ?? [])
            .ToDictionary(e => e.Key, e => Value(e.Value!["value"], substitute), StringComparer.Ordinal);

    /// <summary>EdgeHub:Inputs from the manifest's environment and desired configuration.</summary>
    private static IEnumerable<string> ConfiguredInputs(JsonObject manifest)
    {
        const string Prefix = "MedTechEdge:EdgeHub:Inputs:";
        return EffectiveConfiguration(manifest)
            .Where(e => e.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && e.Value is not null)
            .Select(e => e.Value!);
    }

    /// <summary>
    /// The module's settings as the container sees them, in the module's own order: appsettings.json, then the
    /// image's ENV, then the manifest's env, then the twin's desired configuration.
    /// </summary>
    private static Dictionary<string, string?> EffectiveConfiguration(JsonObject manifest)
    {
        IConfigurationRoot appsettings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Root, "modules", ModuleName, "appsettings.json"), optional: false, reloadOnChange: false)
            .Build();
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in appsettings.AsEnumerable())
        {
            merged[pair.Key] = pair.Value;
        }

        Dockerfile image = Dockerfile.Parse(Path.Combine(Root, "modules", ModuleName, "Dockerfile.amd64"));
        IEnumerable<KeyValuePair<string, string?>> environment = image.Environment()
            .Concat(ModuleEnvironment(manifest))
            .Where(e => e.Key.StartsWith(MedTechEdgeOptions.Section + "__", StringComparison.Ordinal));
        foreach ((string name, string? value) in environment)
        {
            string key = name.Replace("__", ":", StringComparison.Ordinal);
            // A list set from the environment replaces the whole list in practice: drop the lower layer's items.
            RemoveChildren(merged, key);
            merged[key] = value;
        }

        foreach ((string key, string? value) in Flatten(Desired(manifest, ModuleName)["configuration"]!.AsObject(), MedTechEdgeOptions.Section))
        {
            merged[key] = value;
        }

        return merged;
    }

    private static void RemoveChildren(Dictionary<string, string?> merged, string key)
    {
        int index = key.LastIndexOf(':');
        if (index > 0 && int.TryParse(key.AsSpan(index + 1), out _))
        {
            string list = key[..(index + 1)];
            foreach (string stale in merged.Keys.Where(k => k.StartsWith(list, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                merged.Remove(stale);
            }
        }
    }

    private static MedTechEdgeOptions EffectiveOptions(JsonObject manifest)
    {
        var options = new MedTechEdgeOptions();
        new ConfigurationBuilder().AddInMemoryCollection(EffectiveConfiguration(manifest)).Build()
            .GetSection(MedTechEdgeOptions.Section)
            .Bind(options);
        return options;
    }

    /// <summary>A JSON object as configuration keys (<c>Section:Key:0</c>), as the twin handler and the JSON provider see it.</summary>
    private static Dictionary<string, string?> Flatten(JsonObject node, string prefix, bool substitute = true)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonNode? value, string path)
        {
            switch (value)
            {
                case JsonObject o:
                    foreach ((string key, JsonNode? child) in o)
                    {
                        Walk(child, path.Length == 0 ? key : path + ":" + key);
                    }

                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        Walk(a[i], path + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                default:
                    result[path] = Value(value, substitute);
                    break;
            }
        }

        Walk(node, prefix);
        return result;
    }

    /// <summary>A scalar as configuration text; a whole-value <c>$NAME</c> or <c>${NAME}</c> placeholder becomes its plausible value.</summary>
    private static string? Value(JsonNode? value, bool substitute)
    {
        if (value is null)
        {
            return null;
        }

        string text = value.GetValueKind() == JsonValueKind.String ? (string)value! : value.ToJsonString();
        Match placeholder = PlaceholderPattern().Match(text);
        if (!substitute || !placeholder.Success)
        {
            return text;
        }

        string name = placeholder.Groups["name"].Value;
        Assert.True(s_plausibleValues.TryGetValue(name, out string? plausible), $"no plausible value for ${name} in this test");
        return plausible;
    }

    /// <summary>Every whole-value placeholder in the manifest, outside the module image placeholders (${MODULES.…}).</summary>
    private static SortedSet<string> Placeholders(JsonNode? node)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? value)
        {
            switch (value)
            {
                case JsonObject o:
                    foreach ((_, JsonNode? child) in o)
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (JsonNode? child in a)
                    {
                        Walk(child);
                    }

                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String && PlaceholderPattern().Match((string)v!) is { Success: true } m:
                    found.Add(m.Groups["name"].Value);
                    break;
            }
        }

        Walk(node);
        Assert.NotEmpty(found);
        return found;
    }

    /// <summary>How many objects and arrays nest below <paramref name="node"/>: <c>{"a":{"b":1}}</c> is 1 deep.</summary>
    private static int Depth(JsonNode? node)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        return children.Select(c => c is JsonObject or JsonArray ? 1 + Depth(c) : 0).DefaultIfEmpty(0).Max();
    }

    private static IEnumerable<string> Keys(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Keys(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Keys),
        _ => [],
    };

    // ---- projects and Dockerfiles ----

    /// <summary>The csproj and every project it references, directly or through another, as paths relative to the root.</summary>
    private static List<string> ProjectClosure(string csproj)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(csproj)]);
        while (pending.TryPop(out string? project))
        {
            if (!seen.Add(Path.GetRelativePath(Root, project).Replace('\\', '/')))
            {
                continue;
            }

            foreach (XElement reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                string include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
            }
        }

        return [.. seen];
    }

    /// <summary>Whether a COPY of one of the sources brings <paramref name="path"/> (a file, or a folder ending in '/').</summary>
    private static bool Covers(IEnumerable<string> sources, string path) =>
        sources.Any(source => source is "." or "./"
            || string.Equals(source.TrimEnd('/'), path.TrimEnd('/'), StringComparison.Ordinal)
            || path.StartsWith(source.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary>A .dockerignore line as a regular expression over context-relative paths (and everything below a match).</summary>
    private static Regex DockerignorePattern(string line)
    {
        string pattern = Regex.Escape(line.TrimEnd('/'))
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + pattern + "(?:/.*)?$", RegexOptions.CultureInvariant);
    }

    private sealed record Instruction(string Keyword, string Arguments);

    /// <summary>A Dockerfile's instructions (continuations joined, comments dropped), split into its first and last stage.</summary>
    private sealed class Dockerfile
    {
        private Dockerfile(List<Instruction> build, List<Instruction> final)
        {
            BuildStage = build;
            FinalStage = final;
        }

        public List<Instruction> BuildStage { get; }

        public List<Instruction> FinalStage { get; }

        /// <summary>Whether the build stage publishes self-contained (the app carries its runtime).</summary>
        public bool PublishesSelfContained => BuildStage.Any(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal) && i.Arguments.Contains("-p:SelfContained=true", StringComparison.Ordinal));

        public static Dockerfile Parse(string path)
        {
            var stages = new List<List<Instruction>>();
            string text = string.Join('\n', File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')));
            foreach (string line in text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
                var instruction = new Instruction(trimmed[..space].ToUpperInvariant(), Regex.Replace(trimmed[(space + 1)..], @"\s+", " "));
                if (instruction.Keyword == "FROM")
                {
                    stages.Add([]);
                }

                Assert.True(stages.Count > 0, $"{path}: an instruction before FROM");
                stages[^1].Add(instruction);
            }

            Assert.True(stages.Count >= 2, $"{path}: a build stage and a runtime stage");
            return new Dockerfile(stages[0], stages[^1]);
        }

        /// <summary>The context paths copied by the build stage's instructions [from, to), COPY --from excluded.</summary>
        public List<string> CopySources(int from, int to)
        {
            var sources = new List<string>();
            foreach (Instruction instruction in BuildStage.Skip(from).Take(to - from).Where(i => i.Keyword == "COPY"))
            {
                string[] words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Any(w => w.StartsWith("--from", StringComparison.Ordinal)))
                {
                    continue;
                }

                string[] paths = [.. words.Where(w => !w.StartsWith("--", StringComparison.Ordinal))];
                sources.AddRange(paths[..^1].Select(p => p.StartsWith("./", StringComparison.Ordinal) && p.Length > 2 ? p[2..] : p));
            }

            return sources;
        }

        /// <summary>The final stage's ENV settings (<c>ENV A=1 B=2</c>).</summary>
        public IEnumerable<KeyValuePair<string, string?>> Environment() =>
            FinalStage.Where(i => i.Keyword == "ENV")
                .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(pair => pair.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .Select(pair => new KeyValuePair<string, string?>(pair[0], pair[1]));
    }

    [GeneratedRegex(@"^\s*(?:SELECT\s+\*\s+)?FROM\s+(?<source>\S+)(?:\s+WHERE\s+(?<condition>.+?))?\s+INTO\s+(?<sink>\S.*?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoutePattern();

    [GeneratedRegex(@"^/messages/modules/(?<module>[^/]+)/outputs/(?<output>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex OutputSourcePattern();

    [GeneratedRegex(@"^BrokeredEndpoint\(""/modules/(?<module>[^/]+)/inputs/(?<input>[^/""]+)""\)$", RegexOptions.CultureInvariant)]
    private static partial Regex InputSinkPattern();

    [GeneratedRegex(@"^[^\.\$# ]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RouteNamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleNamePattern();

    [GeneratedRegex(@"^\$(?:\{(?<name>[A-Z][A-Z0-9_]*)\}|(?<name>[A-Z][A-Z0-9_]*))$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"(ConnectionString|Secret|Password|SharedAccessKey|AccessKey|ApiKey|Token)(:|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex(@"SharedAccessKey=|AccountKey=|SharedAccessSignature |^Bearer |^eyJ", RegexOptions.CultureInvariant)]
    private static partial Regex SecretValuePattern();
}
