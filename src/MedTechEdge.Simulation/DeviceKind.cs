namespace MedTechEdge.Simulation;

/// <summary>What a simulated bedside device measures.</summary>
public enum DeviceKind
{
    /// <summary>Heart rate monitor: "heartRate" in beats per minute.</summary>
    HeartRate,

    /// <summary>Pulse oximeter: "spo2" in percent.</summary>
    SpO2,

    /// <summary>Blood pressure cuff: "systolic" and "diastolic" in mmHg.</summary>
    BloodPressure,

    /// <summary>Thermometer: "temperature" in degrees Celsius.</summary>
    Temperature,
}
