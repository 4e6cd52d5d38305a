using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>uniqueString and guid against values known from real Azure deployments and from RFC 4122 UUID v5.</summary>
public sealed class HashFunctionTests
{
    // Outputs of real ARM deployments, published in Kingsland.ArmLinter's ArmFunctions_UniqueString.cs.
    [Theory]
    [InlineData("[uniqueString('aaa')]", "zavj67f3en4hc")]
    [InlineData("[uniqueString('bbb')]", "w5eragfxe33cy")]
    [InlineData("[uniqueString('zzz')]", "cryksdzzzawae")]
    [InlineData("[uniqueString('xxx', 'yyy', 'zzz')]", "lghi7k5js7itq")]
    public void UniqueString_matches_azure(string expression, string expected)
    {
        Assert.Equal(expected, EvaluateText(expression));
    }

    // Python: uuid.uuid5(uuid.UUID('11fb06fb-712d-4ddd-98c7-e71bbd588830'), 'a-b'), ARM's namespace and its '-' join.
    [Fact]
    public void Guid_is_the_version_5_uuid_of_the_joined_arguments_under_the_arm_namespace()
    {
        Assert.Equal("2d796349-8c7e-55ec-9624-54ece82ed031", EvaluateText("[guid('a', 'b')]"));
    }
}
