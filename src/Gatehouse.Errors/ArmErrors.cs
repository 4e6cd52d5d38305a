namespace Gatehouse.Errors;

/// <summary>
/// The catalog of the errors Gatehouse reports about the resources it is given: each code is defined here once, with the
/// shape of its message, and the Network provider and the Gateway build their errors through these methods (Bicep's
/// DiagnosticBuilder is the model). The template language's and the management API's errors are still written where
/// they are raised.
/// <c>path</c> is the property path of the offending value (<c>properties.httpListeners[0].properties.sslCertificate</c>),
/// the error's <c>target</c>. Messages name the offender and never a secret.
/// </summary>
public static partial class ArmErrors
{
    // ARM's code for an answer that carries several errors in its details.
    private const string ValidationFailedCode = "MultipleErrorsOccurred";

    /// <summary>Several problems of one resource, each in the details with its path.</summary>
    public static ArmError ResourceValidationFailed(string resourceId, IReadOnlyList<ArmError> problems) =>
        MultipleErrors($"the resource {resourceId}", problems);

    /// <summary>Several problems, of one request or of several resources of a deployment, each in the details.</summary>
    public static ArmError MultipleErrors(string subject, IReadOnlyList<ArmError> problems) => new(ValidationFailedCode,
        $"Multiple errors occurred in {subject}: {string.Join(", ", problems.Select(p => p.Code).Distinct())}. Please see details.",
        Details: problems);

    /// <summary>The problems an error stands for: the details of a validation that found several, or the error itself.</summary>
    public static IReadOnlyList<ArmError> Problems(ArmError error) =>
        error.Code == ValidationFailedCode && error.Details is { Count: > 0 } details ? details : [error];

    /// <summary>
    /// A fault of ours, not of the request: as Azure words it, with the id under which the log holds the exception and
    /// never the exception's own message, which may quote stored data.
    /// </summary>
    public static ArmError InternalServerError(string trackingId) => new("InternalServerError",
        $"Encountered internal server error. Diagnostic information: timestamp '{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}', tracking id '{trackingId}'.");

    // Request format: shape of the JSON itself.

    public static ArmError DuplicateProperty(string path) =>
        new("InvalidRequestFormat", $"The property '{path}' is given more than once (property names are case-insensitive).", path);

    public static ArmError InvalidEnumValue(string path, string given, IEnumerable<string> allowed) =>
        new("InvalidRequestFormat", $"The value '{given}' of property '{path}' is not valid. Allowed values: {string.Join(", ", allowed)}.", path);

    public static ArmError ElementNameMissing(string path) => new("InvalidRequestFormat", $"The element '{path}' must have a name.", path);

    public static ArmError ElementNameNotUnique(string path, string name, string collectionPath) =>
        new("InvalidRequestFormat", $"The name '{name}' is used by more than one element of '{collectionPath}'; names must be unique.", path);

    public static ArmError ReferenceRequired(string path, string by, string property) =>
        new("InvalidRequestFormat", $"The resource {by} must reference its {property}.", path);

    // References between resources.

    public static ArmError ReferenceNotFound(string path, string referenced, string by) => new("InvalidResourceReference",
        $"Resource {referenced} referenced by resource {by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", path);

    public static ArmError IdNotFullyQualified(string path, string id) => new("LinkedInvalidPropertyId",
        $"Property id '{id}' at path '{path}' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{{subscriptionId}}' or '/providers/{{resourceProviderNamespace}}/'.", path);
}
