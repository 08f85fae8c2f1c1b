using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MedTechEdge.TestPeers;

/// <summary>
/// A throw-away PKI written as PEM files to a temp directory: a self-signed CA, a server certificate for 127.0.0.1 and
/// localhost, one client certificate per requested Common Name, and an unrelated second CA (the "wrong CA").
/// ECDSA P-256 with SHA-256, valid from yesterday to tomorrow.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    public string ServerCertificateFile => Path.Combine(Directory, "server.pem");

    public string ServerKeyFile => Path.Combine(Directory, "server-key.pem");

    public string ClientCertificateFile(string commonName) => Path.Combine(Directory, $"client-{commonName}.pem");

    public string ClientKeyFile(string commonName) => Path.Combine(Directory, $"client-{commonName}-key.pem");

    public static TestCertificates Create(params string[] clientCommonNames)
    {
        var pki = new TestCertificates(System.IO.Directory.CreateTempSubdirectory("medtechedge-tls-").FullName);
        using X509Certificate2 ca = CreateAuthority("MedTechEdge Test CA");
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());
        using (X509Certificate2 other = CreateAuthority("Unrelated Test CA"))
        {
            File.WriteAllText(pki.OtherCaFile, other.ExportCertificatePem());
        }

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        Issue(ca, "localhost", ServerAuthenticationOid, san.Build(), pki.ServerCertificateFile, pki.ServerKeyFile);
        foreach (string commonName in clientCommonNames)
        {
            Issue(ca, commonName, ClientAuthenticationOid, null, pki.ClientCertificateFile(commonName), pki.ClientKeyFile(commonName));
        }

        return pki;
    }

    private static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static void Issue(X509Certificate2 ca, string commonName, string usageOid, X509Extension? subjectAlternativeName, string certificateFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (subjectAlternativeName is not null)
        {
            request.CertificateExtensions.Add(subjectAlternativeName);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddHours(23), serial);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
