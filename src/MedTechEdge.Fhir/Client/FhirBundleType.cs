namespace MedTechEdge.Fhir.Client;

/// <summary>The Bundle types a client submits to <c>POST [base]</c> (FHIR R4 http.html#transaction).</summary>
public enum FhirBundleType
{
    /// <summary>All entries succeed or the server rejects the whole Bundle.</summary>
    Transaction = 0,

    /// <summary>Entries are processed independently; each has its own result.</summary>
    Batch,
}
