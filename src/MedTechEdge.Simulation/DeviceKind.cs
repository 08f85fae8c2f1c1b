namespace MedTechEdge.Simulation;

/// <summary>What a simulated device is and which fields its messages carry (see docs/simulator.md).</summary>
public enum DeviceKind
{
    /// <summary>Bedside monitor: "heartRate", "spo2", "systolic", "diastolic", "respiratoryRate", "temperature".</summary>
    BedsideMonitor,

    /// <summary>Home pulse oximeter: "spo2" in percent and "pulseRate" in beats per minute.</summary>
    PulseOximeter,

    /// <summary>Home blood pressure cuff: "systolic" and "diastolic" in mmHg and "heartRate" in beats per minute.</summary>
    BloodPressureCuff,

    /// <summary>Home thermometer: "temperature" in degrees Celsius.</summary>
    Thermometer,

    /// <summary>ECG lead: windows of samples in millivolts ("ecg": [{"offsetMs", "mv"}]) with the window's start time.</summary>
    Ecg,
}
